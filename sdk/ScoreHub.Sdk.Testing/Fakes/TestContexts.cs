using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ScoreHub.Sdk.Testing;

/// <summary>Builds the contexts the host passes to plugins, on a fake clock.</summary>
public static class TestContexts
{
    /// <summary>A fake clock at <paramref name="now"/> (default <see cref="TestDefaults.Now"/>); advance it with <c>Advance</c>.</summary>
    public static FakeTimeProvider Clock(DateTimeOffset? now = null) => new(now ?? TestDefaults.Now);

    /// <summary>The context of a signal source's call.</summary>
    /// <param name="settings">The workspace's settings for the plugin; default empty.</param>
    /// <param name="clock">The clock; default a <see cref="FakeTimeProvider"/> at <see cref="TestDefaults.Now"/>.</param>
    /// <param name="logger">The logger; default discards everything. Pass a <see cref="RecordingLogger"/> to inspect it.</param>
    /// <param name="workspaceId">The workspace id.</param>
    public static SourceContext Source(
        PluginSettings? settings = null, TimeProvider? clock = null, ILogger? logger = null, string workspaceId = TestDefaults.WorkspaceId) => new()
        {
            WorkspaceId = workspaceId,
            Settings = settings ?? PluginSettings.Empty,
            Clock = clock ?? Clock(),
            Logger = logger ?? NullLogger.Instance,
        };

    /// <summary>The context of an action's call.</summary>
    /// <param name="settings">The workspace's settings for the plugin; default empty.</param>
    /// <param name="receiver">
    /// Where <see cref="ActionContext.Http"/> sends; default a <see cref="FakeReceiver"/> answering 200. No request
    /// leaves the process.
    /// </param>
    /// <param name="clock">The clock; default a <see cref="FakeTimeProvider"/> at <see cref="TestDefaults.Now"/>.</param>
    /// <param name="logger">The logger; default discards everything.</param>
    /// <param name="workspaceId">The workspace id.</param>
    public static ActionContext Action(
        PluginSettings? settings = null, HttpMessageHandler? receiver = null, TimeProvider? clock = null, ILogger? logger = null,
        string workspaceId = TestDefaults.WorkspaceId) => new()
        {
            WorkspaceId = workspaceId,
            Settings = settings ?? PluginSettings.Empty,
            Clock = clock ?? Clock(),
            Logger = logger ?? NullLogger.Instance,
#pragma warning disable CA2000 // Like the host's pooled client, the context's client lives as long as the test needs it; it owns no socket.
            Http = new HttpClient(receiver ?? new FakeReceiver(), disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) },
#pragma warning restore CA2000
        };
}
