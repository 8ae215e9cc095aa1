namespace ScoreHub.Sdk;

/// <summary>Who a plugin is and what it needs: read by the host before the plugin is ever called.</summary>
public sealed class PluginManifest
{
    /// <summary>
    /// Stable identifier of 1-64 lower-case letters, digits, dots and dashes, starting with a letter or digit
    /// (e.g. <c>acme.webinars</c>).
    /// It appears in URLs (<c>/api/v1/sources/{id}</c>) and must never change between versions.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name shown in listings.</summary>
    public required string Name { get; init; }

    /// <summary>The plugin's own semantic version (SemVer 2.0: <c>MAJOR.MINOR.PATCH</c>, optional pre-release), e.g. <c>1.2.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>
    /// The SDK version the plugin was built against. Always set it to <see cref="ScoreHubSdk.Version"/>:
    /// as a constant it is compiled into the plugin, which is what the host's compatibility check needs.
    /// </summary>
    public required string SdkVersion { get; init; }

    /// <summary>
    /// The kinds this plugin provides: exactly the interfaces the plugin type implements. The host refuses a declared
    /// kind the type does not implement, and listings show only the declared kinds.
    /// </summary>
    public required PluginKinds Kinds { get; init; }

    /// <summary>One or two sentences on what the plugin does.</summary>
    public string Description { get; init; } = "";

    /// <summary>The settings a workspace gives when it activates the plugin.</summary>
    public IReadOnlyList<SettingDescriptor> Settings { get; init; } = [];
}

/// <summary>One setting of a plugin, as shown to the person activating it.</summary>
public sealed class SettingDescriptor
{
    /// <summary>The JSON property name in the activation settings object.</summary>
    public required string Name { get; init; }

    /// <summary>The JSON type expected.</summary>
    public SettingType Type { get; init; } = SettingType.String;

    /// <summary>Whether activation fails without it.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// A secret (signing key, API token): the host never returns it from the API and never logs it.
    /// </summary>
    public bool Secret { get; init; }

    /// <summary>What the setting does, for the person activating the plugin.</summary>
    public string Description { get; init; } = "";

    /// <summary>
    /// For a string setting: the fewest characters accepted, or <c>0</c> (the default) for no minimum. Use it for
    /// secrets (signing keys, shared secrets): a short one can be brute-forced from one captured request.
    /// <see cref="PluginSettings.CheckAgainst"/> - and so the host, before it calls
    /// <see cref="IScoreHubPlugin.ValidateSettings"/> - reports a shorter value as
    /// <c>'name' must be at least N characters.</c> Since SDK 1.2.
    /// </summary>
    public int MinLength { get; init; }
}

/// <summary>JSON types a setting may have.</summary>
#pragma warning disable CA1720 // The members are named after the JSON types they stand for.
public enum SettingType
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON array.</summary>
    Array,

    /// <summary>A JSON object.</summary>
    Object,
}
#pragma warning restore CA1720
