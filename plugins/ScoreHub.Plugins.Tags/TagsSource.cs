using System.Globalization;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Tags.TagsSource))]

namespace ScoreHub.Plugins.Tags;

/// <summary>
/// Verifies the webhook's HMAC signature, then maps each <c>tag.added</c>, <c>tag.removed</c> and
/// <c>goal.reached</c> event to one signal. Stateless, so one instance serves every workspace concurrently.
/// </summary>
internal sealed class TagsSource : ISignalSource
{
    private static readonly Dictionary<string, string> PropertyByType = new(StringComparer.Ordinal)
    {
        ["tag.added"] = "tag",
        ["tag.removed"] = "tag",
        ["goal.reached"] = "goal",
    };

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.tags",
        Name = "CRM tags and goals",
        Version = typeof(TagsSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives signed CRM webhooks for tags added or removed and goals reached, and records each as a signal.",
        Settings = TagsOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(TagsOptions.Descriptors);
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var rejection = SignedJsonWebhook.Verify(request, TagsOptions.SignatureHeader, context.Settings.GetString(TagsOptions.SigningSecret) ?? "");
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
            return (null, path + ".id", $"'{path}.id' must be a non-empty string.");
        }

        var type = String(item, "type");
        if (type is null || !PropertyByType.TryGetValue(type, out var propertyName))
        {
            return (null, path + ".type", $"'{path}.type' must be one of {string.Join(", ", PropertyByType.Keys)}.");
        }

        if (String(item, "occurredAt") is not { } occurredText
            || !DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            return (null, path + ".occurredAt", $"'{path}.occurredAt' must be an ISO-8601 date and time.");
        }

        var email = item.TryGetProperty("contact", out var contact) && contact.ValueKind == JsonValueKind.Object ? String(contact, "email") : null;
        var externalId = contact.ValueKind == JsonValueKind.Object ? String(contact, "externalId") : null;
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(externalId))
        {
            return (null, path + ".contact", $"'{path}.contact' must be an object with an 'email' or an 'externalId'.");
        }

        if (String(item, propertyName) is not { Length: > 0 } value)
        {
            return (null, $"{path}.{propertyName}", $"'{path}.{propertyName}' must be a non-empty string for '{type}'.");
        }

        var signal = new Signal
        {
            Id = id,
            Type = type,
            OccurredAt = occurredAt,
            Contact = new ContactRef
            {
                Email = string.IsNullOrWhiteSpace(email) ? null : email,
                ExternalId = string.IsNullOrWhiteSpace(externalId) ? null : externalId,
            },
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { [propertyName] = value },
        };
        return (signal, null, null);
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
