using System.Text.Json;
using Acme.Webinars;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(AcmeWebinarsPlugin))]

namespace Acme.Webinars;

/// <summary>
/// The plugin's entry type, named by the assembly marker; internal, like everything else here (the host creates
/// non-public entry types, SDK 1.2). One plugin, two kinds: the attendance webhook of Acme Webinars (a signal source)
/// and the seniority fit score (a scoring strategy). Each kind lives in its own class; this type only carries the
/// manifest and hands each call on.
/// </summary>
internal sealed class AcmeWebinarsPlugin : ISignalSource, IScoringStrategy
{
    /// <inheritdoc />
    public PluginManifest Manifest { get; } = new()
    {
        Id = "acme.webinars",
        Name = "Acme Webinars",
        Version = "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource | PluginKinds.ScoringStrategy,
        Description = "Registrations and attendance from Acme Webinars' signed webhook as webinar.registered and " +
                      "webinar.attended (with minutesWatched), and a fit score from the contact's job title.",
        Settings =
        [
            new SettingDescriptor
            {
                Name = AcmeWebinarsOptions.SigningSecret, Type = SettingType.String, Required = true, Secret = true, MinLength = 16,
                Description = "The webhook secret token from Acme Webinars (App settings > Webhooks); at least 16 characters.",
            },
        ],
    };

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(Manifest.Settings); // presence, type, and MinLength of the signing secret
    }

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        AttendanceWebhook.HandleAsync(request, context, cancellationToken);

    /// <inheritdoc />
    public ValidationReport ValidateModel(JsonElement model) => SeniorityFit.ValidateModel(model);

    /// <inheritdoc />
    public IScoreEvaluator Compile(JsonElement model) => SeniorityFit.Compile(model);
}
