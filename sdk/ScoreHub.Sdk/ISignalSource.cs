using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ScoreHub.Sdk;

/// <summary>
/// Turns an inbound HTTP payload (a provider's webhook, a tracking hit, a batch) into canonical signals.
/// The host routes <c>/api/v1/sources/{pluginId}/{**path}</c> to the active source of the caller's workspace.
/// </summary>
/// <remarks>
/// <para><b>Contract.</b> Verify the sender (its signature scheme) before anything else and answer
/// <see cref="SourceResponse.Unauthorized"/> when it fails. Never store anything yourself: return the signals,
/// and the host validates them, appends them to the ledger durably and only then answers the provider.
/// A payload that cannot be understood gets <see cref="SourceResponse.BadRequest"/> naming the field.</para>
/// <para><b>Signals later.</b> A source that derives a signal from time (a checkout with no completion after an hour
/// becomes <c>cart.abandoned</c>) returns a <see cref="ScheduledSignal"/> with
/// <see cref="SourceResponse.Accept(IReadOnlyList{Signal}, IReadOnlyList{ScheduledSignal}, IReadOnlyList{string})"/>
/// and cancels it by key when the outcome it waits for arrives first. The source keeps no timers and no state:
/// the host persists the schedule and emits the signal at its due instant, also after a restart.</para>
/// <para><b>Concurrency.</b> Called concurrently for many requests and workspaces; keep no mutable state.</para>
/// <para><b>Exceptions.</b> Do not throw for bad input; an escaping exception becomes a 502 for that request and
/// counts against this plugin's circuit breaker in that workspace.</para>
/// <para><b>Cancellation.</b> The token fires when the request is aborted or the invoker's timeout passes;
/// stop promptly by throwing <see cref="OperationCanceledException"/>. A source that waits on nothing (it only parses)
/// may simply finish. Do not block: the method is on the request path.</para>
/// </remarks>
public interface ISignalSource : IScoreHubPlugin
{
    /// <summary>Maps one inbound request to signals, a rejection, or a handshake reply.</summary>
    ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken);
}

/// <summary>An inbound HTTP request, as the host received it.</summary>
public sealed class SourceRequest
{
    /// <summary>The HTTP method, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>The path after <c>/api/v1/sources/{pluginId}</c>, starting with <c>/</c> (or empty).</summary>
    public string Path { get; init; } = "";

    /// <summary>Query string parameters (the first value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = Signal.EmptyProperties;

    /// <summary>
    /// Request headers. The host's dictionary ignores case; one built by hand (in a test) may not, so read them with
    /// <see cref="GetHeader"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Signal.EmptyProperties;

    /// <summary>The raw body exactly as received (already un-gzipped), for signature checks and parsing.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The Content-Type header, or empty.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>
    /// A request header's value, or <c>null</c> when absent. The name is matched ignoring case, also when
    /// <see cref="Headers"/> was built with a case-sensitive dictionary (as tests often do). Since SDK 1.2.
    /// </summary>
    /// <remarks>Pure and thread-safe; never throws for a missing header.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <c>null</c>.</exception>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Parses <see cref="Body"/> strictly (<see cref="StrictJson.Parse"/>): exactly one JSON value whose strings are
    /// all valid text. On failure, <paramref name="rejection"/> is the 400 to return, naming the field <c>body</c>:
    /// <c>The body is not valid JSON: ...</c>. Since SDK 1.2.
    /// </summary>
    /// <remarks>
    /// Never throws for bad input: a source answers malformed payloads, it does not throw (see
    /// <see cref="ISignalSource"/>). On success the caller owns <paramref name="document"/> and must dispose it.
    /// Thread-safe; it reads only this request.
    /// </remarks>
    /// <example><code>
    /// if (!request.TryReadJson(out var document, out var rejection))
    /// {
    ///     return ValueTask.FromResult(rejection);
    /// }
    ///
    /// using (document) { ... }
    /// </code></example>
    /// <param name="document">The parsed body, when the method returns <c>true</c>.</param>
    /// <param name="rejection">The 400 answer, when the method returns <c>false</c>.</param>
    /// <param name="maxDepth">The deepest nesting accepted; deeper bodies are rejected.</param>
    public bool TryReadJson(
        [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out SourceResponse? rejection, int maxDepth = StrictJson.DefaultMaxDepth)
    {
        try
        {
            document = StrictJson.Parse(Body.Span, maxDepth);
            rejection = null;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            rejection = SourceResponse.BadRequest("body", $"The body is not valid JSON: {ex.Message}");
            return false;
        }
    }
}

/// <summary>What a source is given besides the request: its workspace, its settings, the clock and a logger.</summary>
public sealed class SourceContext
{
    /// <summary>The workspace the request belongs to, resolved by the host from a key it verified.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>This workspace's settings for the plugin, already validated.</summary>
    public required PluginSettings Settings { get; init; }

    /// <summary>The clock. Use it, never the system clock directly: tests run sources on a fake clock.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>A logger scoped to the plugin. Never log secrets or raw payloads with personal data.</summary>
    public required Microsoft.Extensions.Logging.ILogger Logger { get; init; }
}

/// <summary>A source's answer to one request.</summary>
public sealed class SourceResponse
{
    private SourceResponse(int statusCode) => StatusCode = statusCode;

    /// <summary>The HTTP status the host answers with (after storing the signals, if any).</summary>
    public int StatusCode { get; }

    /// <summary>Signals to append to the ledger; empty for rejections and handshakes.</summary>
    public IReadOnlyList<Signal> Signals { get; private init; } = [];

    /// <summary>
    /// Signals the host emits later, at their <see cref="ScheduledSignal.DueAt"/>; each replaces any pending one
    /// with the same <see cref="ScheduledSignal.Key"/>. Empty unless the source asked for some.
    /// </summary>
    public IReadOnlyList<ScheduledSignal> Schedule { get; private init; } = [];

    /// <summary>
    /// Keys of pending scheduled signals to drop; an unknown key (never scheduled, already emitted or already
    /// cancelled) is ignored. Applied before <see cref="Schedule"/>, so a response may cancel and reschedule one key.
    /// </summary>
    public IReadOnlyList<string> Cancel { get; private init; } = [];

    /// <summary>For rejections: a problem title, e.g. "Invalid signature".</summary>
    public string? Title { get; private init; }

    /// <summary>For rejections: the detail, naming the offending field where there is one.</summary>
    public string? Detail { get; private init; }

    /// <summary>For rejections of malformed payloads: the JSON path or form field at fault.</summary>
    public string? Field { get; private init; }

    /// <summary>For handshakes: a literal body to answer with (with <see cref="ReplyContentType"/>).</summary>
    public string? ReplyBody { get; private init; }

    /// <summary>The content type of <see cref="ReplyBody"/>.</summary>
    public string? ReplyContentType { get; private init; }

    /// <summary>Whether the request was accepted (signals, possibly none, to be stored).</summary>
    public bool IsAccepted => StatusCode is >= 200 and < 300 && ReplyBody is null;

    /// <summary>Store these signals, then answer 200.</summary>
    public static SourceResponse Accept(IReadOnlyList<Signal> signals) => new(200) { Signals = signals };

    /// <summary>
    /// Store these signals, record the schedules and cancellations durably, then answer 200.
    /// </summary>
    /// <remarks>
    /// The host validates the scheduled signals like immediate ones before storing anything (a bad one is a 400 and
    /// nothing is stored), appends <paramref name="signals"/>, applies <paramref name="cancel"/> and then
    /// <paramref name="schedule"/>, and answers only after all of it is on disk. If the host stops before answering,
    /// the provider retries and the same response is produced again: give every signal a deterministic
    /// <see cref="Signal.Id"/> so the retry is absorbed.
    /// </remarks>
    /// <param name="signals">Signals to store now; may be empty.</param>
    /// <param name="schedule">Signals to emit later, each replacing a pending one with the same key; may be empty.</param>
    /// <param name="cancel">Keys of pending scheduled signals to drop; may be empty.</param>
    /// <exception cref="ArgumentNullException">An argument is <c>null</c>; pass an empty list instead.</exception>
    public static SourceResponse Accept(IReadOnlyList<Signal> signals, IReadOnlyList<ScheduledSignal> schedule, IReadOnlyList<string> cancel)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(cancel);
        return new(200) { Signals = signals, Schedule = schedule, Cancel = cancel };
    }

    /// <summary>The sender could not be verified: 401, nothing stored.</summary>
    public static SourceResponse Unauthorized(string detail) =>
        new(401) { Title = "Invalid signature", Detail = detail };

    /// <summary>The payload is malformed: 400 naming the field, nothing stored.</summary>
    public static SourceResponse BadRequest(string field, string detail) =>
        new(400) { Title = "Invalid payload", Detail = detail, Field = field };

    /// <summary>A handshake or verification request that needs a literal answer and stores nothing.</summary>
    public static SourceResponse Reply(int statusCode, string body, string contentType = "text/plain") =>
        new(statusCode) { ReplyBody = body, ReplyContentType = contentType };
}

/// <summary>
/// A signal the host emits later unless it is cancelled first: a checkout's <c>cart.abandoned</c> an hour after its
/// last update, say.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> The host writes the schedule to its store before it answers the request that asked for
/// it, and reloads pending schedules at start, so a restart neither loses nor delays one beyond the restart itself.
/// A signal whose due instant passed while the host was down is emitted right after the start.</para>
/// <para><b>Emission.</b> At <see cref="DueAt"/> (by the host's clock) the host appends <see cref="Signal"/> through the
/// normal validated, deduplicated ingest path, with the plugin as its source, and then forgets the schedule. A crash
/// between the two emits it again after the restart, so <see cref="Signal"/>'s <see cref="Signal.Id"/> must be
/// deterministic (derived from what the signal is about, e.g. <c>abandoned:&lt;checkout token&gt;</c>): the
/// ledger then stores it exactly once.</para>
/// <para><b>Plugin state.</b> Emission calls no plugin code: a schedule whose plugin was deactivated or removed
/// after it was accepted is still emitted, because what it records had already been promised by then.</para>
/// </remarks>
public sealed class ScheduledSignal
{
    /// <summary>
    /// Names the schedule within (workspace, plugin): scheduling an existing key replaces the pending signal and its
    /// due instant (a cart update pushes the deadline back), and <see cref="SourceResponse.Cancel"/> names it.
    /// Non-empty, at most 200 characters.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>
    /// When to emit. An instant in the past means as soon as possible; at most a year after the request.
    /// </summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>
    /// The signal to append at <see cref="DueAt"/>, validated when scheduled as if it arrived at that instant.
    /// Usually its <see cref="Signal.OccurredAt"/> is <see cref="DueAt"/>.
    /// </summary>
    public required Signal Signal { get; init; }
}
