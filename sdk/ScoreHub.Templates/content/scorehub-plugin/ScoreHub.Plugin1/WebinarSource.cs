using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugin1.WebinarSource))]

namespace ScoreHub.Plugin1;

/// <summary>
/// Turns a signed webhook <c>{"events":[{"id","type","occurredAt","email"}]}</c> into signals. The sender signs the raw
/// body: header <c>X-Signature: sha256=&lt;hex HMAC-SHA256&gt;</c> with the workspace's signing secret. The entry type
/// the assembly marker names; internal, as the host creates non-public entry types.
/// </summary>
internal sealed partial class WebinarSource : ISignalSource
{
    /// <summary>The setting holding the shared signing secret.</summary>
    public const string SigningSecret = "signingSecret";

    /// <summary>The header carrying the body's signature.</summary>
    public const string SignatureHeader = "X-Signature";

    /// <inheritdoc />
    public PluginManifest Manifest { get; } = new()
    {
        Id = "PLUGIN_ID",
        Name = "ScoreHub.Plugin1",
        Version = "0.1.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Webinar registrations and attendance from a signed webhook.",
        Settings =
        [
            new SettingDescriptor { Name = SigningSecret, Required = true, Secret = true, MinLength = 16, Description = "The webhook signing secret; at least 16 characters." },
        ],
    };

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(Manifest.Settings); // presence, type and MinLength; add your own checks here
    }

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Verified(request, context.Settings.GetString(SigningSecret) ?? ""))
        {
            return ValueTask.FromResult(SourceResponse.Unauthorized($"The {SignatureHeader} header does not match the body."));
        }

        if (!request.TryReadJson(out var document, out var malformed))
        {
            return ValueTask.FromResult(malformed);
        }

        using (document)
        {
            return ValueTask.FromResult(Map(document.RootElement));
        }
    }

    private static bool Verified(SourceRequest request, string secret)
    {
        if (request.GetHeader(SignatureHeader) is not { } header || !header.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body.Span));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }

    private static SourceResponse Map(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return SourceResponse.BadRequest("events", "'events' must be an array.");
        }

        var signals = new List<Signal>();
        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            var path = $"events[{index++}]";
            var id = Text(item, "id");
            var type = Text(item, "type");
            var email = Text(item, "email");
            if (string.IsNullOrEmpty(id) || id.Length > 200)
            {
                return SourceResponse.BadRequest($"{path}.id", "'id' must be a string of 1-200 characters.");
            }

            if (type is null || type.Length > 100 || !TypePattern().IsMatch(type))
            {
                return SourceResponse.BadRequest($"{path}.type", "'type' must be lower-case 'area.verb', e.g. 'webinar.attended'.");
            }

            if (!DateTimeOffset.TryParse(Text(item, "occurredAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var occurredAt))
            {
                return SourceResponse.BadRequest($"{path}.occurredAt", "'occurredAt' must be an ISO-8601 instant.");
            }

            if (email is null || !email.Contains('@', StringComparison.Ordinal) || email.Length > 254)
            {
                return SourceResponse.BadRequest($"{path}.email", "'email' must be an email address.");
            }

            signals.Add(new Signal { Id = id, Type = type, OccurredAt = occurredAt, Contact = new ContactRef { Email = email } });
        }

        return SourceResponse.Accept(signals);
    }

    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    private static partial Regex TypePattern();
}
