using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// Builds <see cref="PluginSettings"/> (workspace settings, model-less action parameters) one setting at a time, or
/// derives a variant of existing settings with one setting removed or replaced.
/// </summary>
/// <example><code>var settings = new SettingsBuilder().With("signingKey", "0123456789abcdef").With("delayMinutes", 60).Build();</code></example>
public sealed class SettingsBuilder
{
    private readonly JsonObject _root;

    /// <summary>Starts from an empty object.</summary>
    public SettingsBuilder()
        : this(new JsonObject())
    {
    }

    private SettingsBuilder(JsonObject root) => _root = root;

    /// <summary>Starts from a copy of existing settings.</summary>
    public static SettingsBuilder From(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return FromJson(settings.Json.GetRawText());
    }

    /// <summary>Starts from a JSON object's text.</summary>
    /// <exception cref="ArgumentException">The text is not a JSON object.</exception>
    public static SettingsBuilder FromJson(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("Settings must be a JSON object.", nameof(json)));

    /// <summary>Sets a string setting (or JSON <c>null</c> when <paramref name="value"/> is <c>null</c>).</summary>
    public SettingsBuilder With(string name, string? value)
    {
        _root[name] = value is null ? null : JsonValue.Create(value);
        return this;
    }

    /// <summary>Sets a numeric setting.</summary>
    public SettingsBuilder With(string name, double value)
    {
        _root[name] = JsonValue.Create(value);
        return this;
    }

    /// <summary>Sets a boolean setting.</summary>
    public SettingsBuilder With(string name, bool value)
    {
        _root[name] = JsonValue.Create(value);
        return this;
    }

    /// <summary>Sets a setting to raw JSON, e.g. <c>["a@example.com","b@example.com"]</c> or <c>{"nl":"ann"}</c>.</summary>
    public SettingsBuilder WithJson(string name, string json)
    {
        _root[name] = JsonNode.Parse(json);
        return this;
    }

    /// <summary>Removes a setting.</summary>
    public SettingsBuilder Without(string name)
    {
        _root.Remove(name);
        return this;
    }

    /// <summary>The settings as JSON text.</summary>
    public string ToJson() => _root.ToJsonString();

    /// <summary>The settings, as the host would pass them.</summary>
    public PluginSettings Build()
    {
        using var document = JsonDocument.Parse(ToJson());
        return new PluginSettings(document.RootElement);
    }
}
