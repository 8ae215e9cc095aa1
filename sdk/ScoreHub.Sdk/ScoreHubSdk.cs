namespace ScoreHub.Sdk;

/// <summary>The version of the SDK a plugin is compiled against.</summary>
/// <remarks>
/// These are constants, so the value a plugin reads is baked into the plugin at compile time.
/// That is the point: <c>SdkVersion = ScoreHubSdk.Version</c> in a manifest records the SDK the plugin
/// was built against, and the host refuses a plugin whose major differs from its own or whose minor is newer.
/// </remarks>
public static class ScoreHubSdk
{
    /// <summary>The full semantic version of this SDK, e.g. <c>1.0.0</c>.</summary>
    public const string Version = "1.2.0";

    /// <summary>The major version. A new major may break plugins; a minor only adds.</summary>
    public const int Major = 1;

    /// <summary>The minor version.</summary>
    public const int Minor = 2;
}
