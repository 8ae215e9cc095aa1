using System.Globalization;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Social.SocialSource))]

namespace ScoreHub.Plugins.Social;

/// <summary>
/// A generic social-engagement webhook (a social media tool reporting likes, shares, comments, follows and
/// click-throughs): verifies the HMAC signature the way the tags source does, then maps each event to
/// <c>social.engaged</c> (or <c>social.clicked</c> for a click-through). Stateless.
/// </summary>
internal sealed class SocialSource : ISignalSource
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.social",
        Name = "Social engagement",
        Version = typeof(SocialSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives signed webhooks from a social media tool and records likes, shares, comments, follows and click-throughs as social signals.",
        Settings = SocialOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(SocialOptions.Descriptors);
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var rejection = SignedJsonWebhook.Verify(request, SocialOptions.SignatureHeader, context.Settings.GetString(SocialOptions.SigningSecret) ?? "");
        return ValueTask.FromResult(rejection ?? SignedJsonWebhook.Parse(request, ToSignal));
    }

    private static (Signal? Signal, string? Field, string? Problem) ToSignal(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, path, $"'{path}' must be an object.");
        }

        if (String(item, "id") is not { Length: > 0 } id)
        {
            return Fail(path + ".id", "must be a non-empty string");
        }

        if (String(item, "network") is not { Length: > 0 } network)
        {
            return Fail(path + ".network", "must be a non-empty string, e.g. linkedin");
        }

        if (String(item, "action") is not { Length: > 0 } action)
        {
            return Fail(path + ".action", "must be a non-empty string, e.g. like, share, comment, follow or click");
        }

        if (String(item, "occurredAt") is not { } occurredText
            || !DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            return Fail(path + ".occurredAt", "must be an ISO-8601 date and time");
        }

        var contact = item.TryGetProperty("contact", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var email = NonBlank(contact, "email");
        var externalId = NonBlank(contact, "externalId");
        var anonymousId = NonBlank(contact, "anonymousId");
        if (email is null && externalId is null && anonymousId is null)
        {
            return Fail(path + ".contact", "must be an object with an 'email', an 'externalId' or an 'anonymousId'");
        }

        action = action.ToLowerInvariant();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["network"] = network.ToLowerInvariant(),
            ["action"] = action,
        };
        if (String(item, "campaign") is { Length: > 0 } campaign)
        {
            properties["campaign"] = campaign;
        }

        if (String(item, "url") is { Length: > 0 } url)
        {
            properties["url"] = url;
        }

        return (new Signal
        {
            Id = id,
            Type = action == "click" ? "social.clicked" : "social.engaged",
            OccurredAt = occurredAt,
            Contact = new ContactRef { Email = email, ExternalId = externalId, AnonymousId = anonymousId },
            Properties = properties,
        }, null, null);

        static (Signal?, string?, string?) Fail(string field, string rule) => (null, field, $"'{field}' {rule}.");
    }

    private static string? NonBlank(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && String(obj, name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
