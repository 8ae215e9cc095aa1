using System.Text.Json;
using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Good;

[assembly: ScoreHubPlugin(typeof(GoodSource))]

namespace ScoreHub.TestPlugins.Good;

/// <summary>
/// A well-behaved source: maps <c>{"id","type","email"}</c> to one signal at the current time. Built a second time with
/// GOOD_V2 (project GoodV2) as version 2.0.0, which accepts only mode "a" and marks its signals <c>plugin-version: 2</c>.
/// </summary>
public sealed class GoodSource : ISignalSource
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "test.good",
        Name = "Good test source",
#if GOOD_V2
        Version = "2.0.0",
#else
        Version = "1.2.3",
#endif
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Maps {\"id\",\"type\",\"email\"} to one signal.",
        Settings = [new SettingDescriptor { Name = "mode", Type = SettingType.String, Required = true, Description = "\"a\" or \"b\"." }],
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(Manifest.Settings);
#if GOOD_V2
        if (report.IsValid && settings.GetString("mode") is not "a")
        {
            report = ValidationReport.Invalid(new FieldError("mode", "'mode' must be \"a\" since version 2."));
        }
#else
        if (report.IsValid && settings.GetString("mode") is not ("a" or "b"))
        {
            report = ValidationReport.Invalid(new FieldError("mode", "'mode' must be \"a\" or \"b\"."));
        }
#endif

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            var root = document.RootElement;
            string? Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            foreach (var field in new[] { "id", "type", "email" })
            {
                if (Get(field) is null)
                {
                    return ValueTask.FromResult(SourceResponse.BadRequest(field, $"'{field}' is required."));
                }
            }

            var signal = new Signal
            {
                Id = Get("id")!,
                Type = Get("type")!,
                OccurredAt = context.Clock.GetUtcNow(),
                Contact = new ContactRef { Email = Get("email") },
#if GOOD_V2
                Properties = new Dictionary<string, string> { ["mode"] = context.Settings.GetString("mode") ?? "", ["plugin-version"] = "2" },
#else
                Properties = new Dictionary<string, string> { ["mode"] = context.Settings.GetString("mode") ?? "" },
#endif
            };
            return ValueTask.FromResult(SourceResponse.Accept([signal]));
        }
        catch (JsonException)
        {
            return ValueTask.FromResult(SourceResponse.BadRequest("body", "The body is not JSON."));
        }
    }
}
