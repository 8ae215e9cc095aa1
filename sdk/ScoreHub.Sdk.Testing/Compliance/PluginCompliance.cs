using System.Text.Json;
using Xunit;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// The checks every plugin kind shares: a loadable manifest, stable identity, and settings validation that names the
/// field at fault instead of throwing. Derive from <see cref="SignalSourceCompliance{TSource}"/>,
/// <see cref="ScoringStrategyCompliance{TStrategy}"/> or <see cref="LeadActionCompliance{TAction}"/> rather than from
/// this class.
/// </summary>
/// <typeparam name="TPlugin">
/// The entry type, or <see cref="IScoreHubPlugin"/> when the entry type is internal (a public test class cannot name an internal
/// type argument; the checks use the created instance's own type).
/// </typeparam>
public abstract class PluginCompliance<TPlugin>
    where TPlugin : IScoreHubPlugin
{
    /// <summary>A new instance, as the host creates it (one per process).</summary>
    protected abstract TPlugin CreatePlugin();

    /// <summary>
    /// Settings a workspace would activate the plugin with; they must be valid. Default: none (an empty object).
    /// </summary>
    protected virtual PluginSettings ValidSettings => PluginSettings.Empty;

    /// <summary>The instant the fake clock shows; match it to timestamps your samples are signed with.</summary>
    protected virtual DateTimeOffset Now => TestDefaults.Now;

    /// <summary>The manifest passes the host's load checks and the assembly marker names the plugin type.</summary>
    [Fact]
    public void Manifest_is_one_the_host_loads() => ContractAssert.Manifest(CreatePlugin());

    /// <summary>The manifest returns the same values for the life of the process.</summary>
    [Fact]
    public void Manifest_is_the_same_on_every_read()
    {
        var plugin = CreatePlugin();

        Assert.Equal(Describe(plugin.Manifest), Describe(plugin.Manifest));
        Assert.Equal(Describe(plugin.Manifest), Describe(CreatePlugin().Manifest));
    }

    /// <summary>The sample settings validate.</summary>
    [Fact]
    public void Sample_settings_are_valid()
    {
        var report = CreatePlugin().ValidateSettings(ValidSettings);

        Assert.True(report.IsValid, "The sample settings are invalid: " + string.Join("; ", report.Errors.Select(e => $"{e.Field}: {e.Message}")));
    }

    /// <summary>Leaving out a required setting gives an error naming it.</summary>
    [Fact]
    public void Missing_required_settings_are_reported_by_name()
    {
        var plugin = CreatePlugin();
        foreach (var descriptor in plugin.Manifest.Settings.Where(s => s.Required))
        {
            var report = plugin.ValidateSettings(SettingsBuilder.From(ValidSettings).Without(descriptor.Name).Build());

            ContractAssert.FieldErrors(report);
            Assert.True(report.Errors.Any(e => Names(e, descriptor.Name)),
                $"Without '{descriptor.Name}' the report should name it; it has: {Errors(report)}");
        }
    }

    /// <summary>A setting of the wrong JSON type gives an error naming it.</summary>
    [Fact]
    public void Settings_of_the_wrong_json_type_are_reported_by_name()
    {
        var plugin = CreatePlugin();
        foreach (var descriptor in plugin.Manifest.Settings)
        {
            var wrong = descriptor.Type == SettingType.String ? "42" : "\"not-a-" + descriptor.Type.ToString().ToUpperInvariant() + "\"";
            var report = plugin.ValidateSettings(SettingsBuilder.From(ValidSettings).WithJson(descriptor.Name, wrong).Build());

            ContractAssert.FieldErrors(report);
            Assert.True(report.Errors.Any(e => Names(e, descriptor.Name)),
                $"With '{descriptor.Name}' set to {wrong} the report should name it; it has: {Errors(report)}");
        }
    }

    /// <summary>
    /// A string setting one character shorter than its <see cref="SettingDescriptor.MinLength"/> gives an error naming
    /// it (as <see cref="PluginSettings.CheckAgainst"/> reports it). Since 1.2.
    /// </summary>
    [Fact]
    public void Settings_shorter_than_their_minimum_length_are_reported_by_name()
    {
        var plugin = CreatePlugin();
        foreach (var descriptor in plugin.Manifest.Settings.Where(s => s.Type == SettingType.String && s.MinLength > 0))
        {
            var tooShort = new string('x', descriptor.MinLength - 1);
            var report = plugin.ValidateSettings(SettingsBuilder.From(ValidSettings).With(descriptor.Name, tooShort).Build());

            ContractAssert.FieldErrors(report);
            Assert.True(report.Errors.Any(e => Names(e, descriptor.Name)),
                $"With '{descriptor.Name}' {tooShort.Length} characters long (MinLength {descriptor.MinLength}) the report should name it; it has: {Errors(report)}");
        }
    }

    /// <summary>Settings of any shape give a report, never an exception, and every error names a field.</summary>
    [Fact]
    public void Validating_unexpected_settings_never_throws()
    {
        var plugin = CreatePlugin();
        foreach (var settings in UnexpectedSettings(plugin.Manifest.Settings))
        {
            var report = plugin.ValidateSettings(settings);

            ContractAssert.FieldErrors(report);
        }
    }

    /// <summary>Validation is pure: the same settings give the same report, also from many threads at once.</summary>
    [Fact]
    public void Validating_settings_is_repeatable_and_safe_from_many_threads()
    {
        var plugin = CreatePlugin();
        var cases = UnexpectedSettings(plugin.Manifest.Settings).Prepend(ValidSettings).ToList();
        var expected = cases.Select(s => Errors(plugin.ValidateSettings(s))).ToList();

        var actual = new string[cases.Count * 8];
        Parallel.For(0, actual.Length, i => actual[i] = Errors(plugin.ValidateSettings(cases[i % cases.Count])));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % cases.Count], actual[i]);
        }
    }

    /// <summary>The values of the settings the manifest marks <see cref="SettingDescriptor.Secret"/>, from <see cref="ValidSettings"/>.</summary>
    protected IReadOnlyList<string> SecretValues(IScoreHubPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return [.. plugin.Manifest.Settings
            .Where(s => s.Secret)
            .Select(s => ValidSettings.GetString(s.Name))
            .OfType<string>()
            .Where(v => v.Length >= 4)];
    }

    /// <summary>"field: message" for each error, joined; empty when valid.</summary>
    protected static string Errors(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Join("; ", report.Errors.Select(e => $"{e.Field}: {e.Message}"));
    }

    private static bool Names(FieldError error, string setting) =>
        error.Field == setting ||
        error.Field.StartsWith(setting + ".", StringComparison.Ordinal) ||
        error.Field.StartsWith(setting + "[", StringComparison.Ordinal);

    private IEnumerable<PluginSettings> UnexpectedSettings(IReadOnlyList<SettingDescriptor> descriptors)
    {
        yield return PluginSettings.Empty;
        var names = descriptors.Select(d => d.Name).ToList();
        foreach (var value in new[] { "null", "\"\"", "0", "-1", "1e308", "true", "[]", "{}", "[null]", "{\"\":null}", "\"" + new string('x', 10_000) + "\"" })
        {
            var all = SettingsBuilder.From(ValidSettings);
            foreach (var name in names)
            {
                all.WithJson(name, value);
            }

            yield return all.Build();
        }

        yield return SettingsBuilder.From(ValidSettings).WithJson("unexpectedSetting", "{\"nested\":[1,2,3]}").Build();
    }

    private static string Describe(PluginManifest manifest) => JsonSerializer.Serialize(new
    {
        manifest.Id,
        manifest.Name,
        manifest.Version,
        manifest.SdkVersion,
        Kinds = manifest.Kinds.ToString(),
        manifest.Description,
        Settings = manifest.Settings.Select(s => new { s.Name, Type = s.Type.ToString(), s.Required, s.Secret, s.Description }),
    });
}
