namespace ScoreHub.Sdk.Testing;

/// <summary>The values the kit's fakes use when a test does not say otherwise.</summary>
public static class TestDefaults
{
    /// <summary>The instant fake clocks start at: 2026-03-02 09:00 UTC, a Monday.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The workspace id contexts carry: <c>ws_test</c>.</summary>
    public const string WorkspaceId = "ws_test";
}
