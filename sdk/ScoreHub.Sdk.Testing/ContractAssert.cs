using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// The SDK's documented rules as xunit assertions, for use in any test. The compliance suites are built from these.
/// </summary>
public static partial class ContractAssert
{
    /// <summary>
    /// The manifest is one the host loads: id of 1-64 lower-case letters, digits, dots or dashes; a name; a semantic
    /// version; an SDK version of this SDK's major and no newer minor; at least one kind, exactly the kinds the plugin
    /// implements; settings with unique, non-empty names. The assembly's <see cref="ScoreHubPluginAttribute"/> names
    /// the plugin's type, a non-abstract class with a parameterless constructor (since 1.2 it may be internal, as the
    /// host creates non-public entry types).
    /// </summary>
    public static void Manifest(IScoreHubPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var manifest = plugin.Manifest;
        Assert.NotNull(manifest);
        Assert.True(manifest.Id is not null && ManifestId().IsMatch(manifest.Id),
            $"Manifest id '{manifest.Id}' must be 1-64 lower-case letters, digits, dots or dashes, starting with a letter or digit.");
        Assert.False(string.IsNullOrWhiteSpace(manifest.Name), "The manifest needs a human-readable Name.");
        Assert.True(manifest.Version is not null && SemanticVersion().IsMatch(manifest.Version),
            $"Manifest Version '{manifest.Version}' must be a semantic version such as 1.2.0.");
        Assert.True(System.Version.TryParse(manifest.SdkVersion, out var sdk),
            $"Manifest SdkVersion '{manifest.SdkVersion}' must be a version; set it to ScoreHubSdk.Version.");
        Assert.True(sdk!.Major == ScoreHubSdk.Major && sdk.Minor <= ScoreHubSdk.Minor,
            $"Manifest SdkVersion '{manifest.SdkVersion}' must have major {ScoreHubSdk.Major} and a minor no newer than {ScoreHubSdk.Minor}.");
        Assert.True(manifest.Kinds != PluginKinds.None, "The manifest must declare at least one kind.");
        Assert.Equal(ImplementedKinds(plugin), manifest.Kinds);
        Assert.NotNull(manifest.Settings);
        Assert.All(manifest.Settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Name), "Every setting needs a name."));
        var duplicates = manifest.Settings.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.True(!duplicates.Any(), $"Settings declared twice: {string.Join(", ", duplicates)}.");

        var type = plugin.GetType();
        var marker = type.Assembly.GetCustomAttribute<ScoreHubPluginAttribute>();
        Assert.True(marker is not null, $"{type.Assembly.GetName().Name} needs [assembly: ScoreHubPlugin(typeof({type.Name}))].");
        Assert.Equal(type, marker!.PluginType);
        Assert.True(!type.IsAbstract && type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is not null,
            $"{type.FullName} must be a non-abstract class with a parameterless constructor.");
    }

    /// <summary>
    /// The signal passes the host's validation of signals: a dedupe <see cref="Signal.Id"/> of 1-200 characters, a
    /// lower-case <c>area.verb</c> type of at most 100, an instant from 2000 to a day after <paramref name="now"/>,
    /// a contact with at least one identifier, property names of 1-100 characters and values of at most 8,192, at
    /// most 100 properties, and a company id of 1-200 characters when there is a company.
    /// </summary>
    public static void Signal(Signal signal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signal);
        Assert.False(string.IsNullOrWhiteSpace(signal.Id), $"Signal of type '{signal.Type}' has no Id (its dedupe key).");
        Assert.True(signal.Id.Length <= 200, $"Signal id '{signal.Id}' is longer than 200 characters.");
        Assert.True(signal.Type is { Length: <= 100 } && SignalType().IsMatch(signal.Type),
            $"Signal type '{signal.Type}' must be lower-case 'area.verb' (e.g. email.opened), at most 100 characters.");
        Assert.True(signal.OccurredAt.Year >= 2000, $"Signal '{signal.Id}' occurred at {signal.OccurredAt:O}, before 2000.");
        Assert.True(signal.OccurredAt <= now.AddDays(1), $"Signal '{signal.Id}' occurred at {signal.OccurredAt:O}, more than a day after {now:O}.");
        Assert.NotNull(signal.Contact);
        Assert.True(
            !string.IsNullOrWhiteSpace(signal.Contact.Email) || !string.IsNullOrWhiteSpace(signal.Contact.ExternalId) ||
            !string.IsNullOrWhiteSpace(signal.Contact.AnonymousId),
            $"Signal '{signal.Id}' names no contact: set Email, ExternalId or AnonymousId.");
        Properties(signal.Properties, $"Signal '{signal.Id}' property");
        Properties(signal.ContactProperties, $"Signal '{signal.Id}' contact property");
        if (signal.Company is { } company)
        {
            Assert.True(company.Id is { Length: > 0 and <= 200 }, $"Signal '{signal.Id}' has a company id that is empty or longer than 200 characters.");
            Properties(company.Properties, $"Signal '{signal.Id}' company property");
        }
    }

    /// <summary>
    /// The scheduled signal is one the host accepts at <paramref name="now"/>: a key of 1-200 characters, due at most a
    /// year ahead, and a signal valid as of its due instant.
    /// </summary>
    public static void Scheduled(ScheduledSignal scheduled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        Assert.True(scheduled.Key is { Length: > 0 and <= 200 }, $"Scheduled signal key '{scheduled.Key}' must be 1-200 characters.");
        Assert.True(scheduled.DueAt <= now.AddYears(1), $"Scheduled signal '{scheduled.Key}' is due more than a year ahead.");
        Assert.NotNull(scheduled.Signal);
        Signal(scheduled.Signal, scheduled.DueAt > now ? scheduled.DueAt : now);
    }

    /// <summary>Every error names a field and says what is wrong.</summary>
    public static void FieldErrors(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.NotNull(report.Errors);
        Assert.All(report.Errors, e =>
        {
            Assert.False(e.Field is null, "A field error must name the field (a JSON path).");
            Assert.False(string.IsNullOrWhiteSpace(e.Message), $"The error for '{e.Field}' has no message.");
        });
    }

    /// <summary>Two evaluations are the same in every reported part: value, labels, inclusion, breakdown and next change.</summary>
    public static void SameEvaluation(ScoreEvaluation expected, ScoreEvaluation actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    /// <summary>A stable, complete text form of an evaluation, for comparisons and failure messages.</summary>
    public static string Describe(ScoreEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var text = new System.Text.StringBuilder();
        text.Append(System.FormattableString.Invariant(
            $"value={evaluation.Value:R} label={evaluation.Label} included={evaluation.Included} engagement={evaluation.Engagement:R} fit={evaluation.Fit:R} "));
        text.Append(System.FormattableString.Invariant(
            $"engagementLabel={evaluation.EngagementLabel} fitLabel={evaluation.FitLabel} next={evaluation.NextChangeAt:O}\n"));
        foreach (var group in evaluation.Groups)
        {
            text.Append(System.FormattableString.Invariant($"  {group.Name} [{group.Part}] raw={group.Raw:R} value={group.Value:R} limit={group.Limit:R}\n"));
            foreach (var rule in group.Rules)
            {
                text.Append(System.FormattableString.Invariant($"    #{rule.Index} {rule.Description} = {rule.Points:R}\n"));
                foreach (var e in rule.Events)
                {
                    text.Append(System.FormattableString.Invariant($"      {e.EventId} {e.OccurredAt:O} {e.Original:R} -> {e.Current:R}\n"));
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The kinds whose interfaces <paramref name="plugin"/> implements.</summary>
    public static PluginKinds ImplementedKinds(IScoreHubPlugin plugin) =>
        (plugin is ISignalSource ? PluginKinds.SignalSource : PluginKinds.None) |
        (plugin is IScoringStrategy ? PluginKinds.ScoringStrategy : PluginKinds.None) |
        (plugin is ILeadAction ? PluginKinds.Action : PluginKinds.None);

    private static void Properties(IReadOnlyDictionary<string, string> properties, string what)
    {
        Assert.NotNull(properties);
        Assert.True(properties.Count <= 100, $"{what}: at most 100 properties are allowed.");
        foreach (var (name, value) in properties)
        {
            Assert.True(name is { Length: > 0 and <= 100 }, $"{what} name '{name}' must be 1-100 characters.");
            Assert.True((value?.Length ?? 0) <= 8_192, $"{what} '{name}' is longer than 8192 characters.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,63}$")]
    private static partial Regex ManifestId();

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    private static partial Regex SignalType();

    // Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional pre-release and build metadata.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex SemanticVersion();
}
