using Microsoft.Extensions.Logging;

namespace ScoreHub.Sdk.Testing;

/// <summary>One log call a plugin made.</summary>
/// <param name="Level">The level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="State">The structured values (template placeholders and their values), as strings.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, string?> State, Exception? Exception);

/// <summary>
/// A logger that keeps what a plugin logs, so a test can check it (for instance that no secret setting is ever
/// logged, see <see cref="ContainsText"/>). Thread-safe.
/// </summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>Every entry so far, oldest first.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Whether any message, structured value or exception message contains <paramref name="text"/> (ordinal).</summary>
    public bool ContainsText(string text) => Entries.Any(e =>
        e.Message.Contains(text, StringComparison.Ordinal) ||
        e.State.Values.Any(v => v?.Contains(text, StringComparison.Ordinal) == true) ||
        e.Exception?.ToString().Contains(text, StringComparison.Ordinal) == true);

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value?.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string?>(StringComparer.Ordinal);
        var entry = new LogEntry(logLevel, formatter(state, exception), values, exception);
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }
}
