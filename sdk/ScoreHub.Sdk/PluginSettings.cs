using System.Globalization;
using System.Text.Json;

namespace ScoreHub.Sdk;

/// <summary>A workspace's settings for one plugin: a JSON object, read-only.</summary>
public sealed class PluginSettings
{
    private readonly JsonElement _root;

    /// <summary>Wraps a JSON object. The element is cloned, so the caller may dispose its document.</summary>
    /// <exception cref="ArgumentException">The element is not a JSON object.</exception>
    public PluginSettings(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Plugin settings must be a JSON object.", nameof(root));
        }

        _root = root.Clone();
    }

    /// <summary>No settings: an empty object.</summary>
    public static PluginSettings Empty { get; } = Parse("{}");

    /// <summary>The settings object as JSON.</summary>
    public JsonElement Json => _root;

    /// <summary>Parses settings from JSON text.</summary>
    public static PluginSettings Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new PluginSettings(document.RootElement);
    }

    /// <summary>Whether the setting is present and not <c>null</c>.</summary>
    public bool Has(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string setting, or <paramref name="fallback"/> when absent or not a string.</summary>
    public string? GetString(string name, string? fallback = null) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : fallback;

    /// <summary>A numeric setting, or <paramref name="fallback"/> when absent or not a number.</summary>
    public double GetNumber(string name, double fallback = 0) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : fallback;

    /// <summary>A boolean setting, or <paramref name="fallback"/> when absent or not a boolean.</summary>
    public bool GetBoolean(string name, bool fallback = false) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;

    /// <summary>The raw JSON of a setting, when present.</summary>
    public bool TryGet(string name, out JsonElement value) => _root.TryGetProperty(name, out value);

    /// <summary>
    /// Checks presence, JSON type and (since SDK 1.2) <see cref="SettingDescriptor.MinLength"/> of every setting the
    /// manifest declares. Plugins call this first in <see cref="IScoreHubPlugin.ValidateSettings"/> and add their own
    /// checks after it; the host calls it too, before the plugin. Pure and thread-safe; reports, never throws.
    /// </summary>
    public ValidationReport CheckAgainst(IReadOnlyList<SettingDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        var errors = new List<FieldError>();
        foreach (var descriptor in descriptors)
        {
            if (!_root.TryGetProperty(descriptor.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (descriptor.Required)
                {
                    errors.Add(new FieldError(descriptor.Name, $"'{descriptor.Name}' is required."));
                }

                continue;
            }

            if (!Matches(descriptor.Type, value.ValueKind))
            {
                var expected = descriptor.Type.ToString().ToLower(CultureInfo.InvariantCulture);
                errors.Add(new FieldError(descriptor.Name, $"'{descriptor.Name}' must be a {expected}."));
            }
            else if (descriptor.MinLength > 0 && value.ValueKind == JsonValueKind.String)
            {
                // Settings from the host are valid text; a hand-built object may hold an escaped lone surrogate, which
                // GetString refuses: report it rather than throw.
                if (StrictJson.FindInvalidText(value) is not null)
                {
                    errors.Add(new FieldError(descriptor.Name, $"'{descriptor.Name}' is not valid text."));
                }
                else if (value.GetString()!.Length < descriptor.MinLength)
                {
                    errors.Add(new FieldError(descriptor.Name, $"'{descriptor.Name}' must be at least {descriptor.MinLength} characters."));
                }
            }
        }

        return new ValidationReport(errors);
    }

    private static bool Matches(SettingType type, JsonValueKind kind) => type switch
    {
        SettingType.String => kind == JsonValueKind.String,
        SettingType.Number => kind == JsonValueKind.Number,
        SettingType.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
        SettingType.Array => kind == JsonValueKind.Array,
        SettingType.Object => kind == JsonValueKind.Object,
        _ => false,
    };
}
