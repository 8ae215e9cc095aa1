namespace ScoreHub.Sdk;

/// <summary>The common root of every plugin kind.</summary>
/// <remarks>
/// <para>The host creates <b>one instance per process</b> and shares it across workspaces and threads, so
/// implementations must be thread-safe and keep no per-workspace state in fields: everything workspace-specific
/// arrives in the context of each call.</para>
/// <para>Every call goes through the host's plugin invoker, which applies a timeout, cancellation and a circuit
/// breaker per (workspace, plugin). An exception that escapes is caught, logged and counted against the plugin;
/// it never fails another plugin or another workspace.</para>
/// </remarks>
public interface IScoreHubPlugin
{
    /// <summary>Identity and requirements. Must return the same values for the life of the process.</summary>
    PluginManifest Manifest { get; }

    /// <summary>
    /// Checks a workspace's settings before activation. Report every problem as a <see cref="FieldError"/>
    /// naming the setting (e.g. <c>signingKey</c> or <c>presets[0].url</c>) rather than throwing.
    /// Must be pure and fast; it may be called often and concurrently.
    /// </summary>
    ValidationReport ValidateSettings(PluginSettings settings);
}
