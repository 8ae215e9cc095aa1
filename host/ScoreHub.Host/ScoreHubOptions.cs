namespace ScoreHub.Host;

/// <summary>The <c>ScoreHub</c> configuration section.</summary>
internal sealed class ScoreHubOptions
{
    public const string Section = "ScoreHub";

    /// <summary>Where the database, the generated admin key and installed plugins live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The server admin key. When empty, one is generated on first start into the data directory.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The directories of installed plugins (separated by the path separator), one folder per plugin.
    /// Empty means <c>{DataDirectory}/plugins</c>; <c>host/run.sh</c> points it at the repository's <c>artifacts/plugins</c>.
    /// </summary>
    public string? PluginsDirectory { get; set; }

    /// <summary>The largest plugin package <c>POST /api/v1/plugins</c> accepts; beyond: 413.</summary>
    public long MaxPluginPackageBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long one call into a plugin may take before the invoker gives up on it.</summary>
    public TimeSpan PluginCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failures that open a (workspace, plugin) circuit.</summary>
    public int CircuitBreakerThreshold { get; set; } = 5;

    /// <summary>How long an open circuit stays open before one trial call is let through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per second each key may make to the write endpoints (events, sources, contacts); beyond: 429.</summary>
    public int IngestRequestsPerSecond { get; set; } = 1_000;

    /// <summary>How many write requests a key may make at once above its rate before it is limited.</summary>
    public int IngestBurst { get; set; } = 2_000;

    /// <summary>How long a write waits for room in the ledger writer's queue before it is refused with 503.</summary>
    public TimeSpan LedgerQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a failed action after its first attempt (exponential backoff) before it becomes a dead letter.</summary>
    public int ActionMaxRetries { get; set; } = 8;

    /// <summary>The first retry delay of a failed action; each next one doubles (2 s, 4 s, ... about 8.5 minutes in all).</summary>
    public TimeSpan ActionRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Create (or refresh) the demo workspace and stream a synthetic customer journey into it.</summary>
    public bool Demo { get; set; }

    /// <summary>Seconds between demo events.</summary>
    public double DemoIntervalSeconds { get; set; } = 1.5;

    public string DatabasePath => Path.Combine(DataDirectory, "scorehub.db");
}
