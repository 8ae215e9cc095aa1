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
/// <para><b>Concurrency.</b> Called concurrently for many requests and workspaces; keep no mutable state.</para>
/// <para><b>Exceptions.</b> Do not throw for bad input; an escaping exception becomes a 502 for that request and
/// counts against this plugin's circuit breaker in that workspace.</para>
/// <para><b>Cancellation.</b> The token fires when the request is aborted or the invoker's timeout passes;
/// stop promptly. Do not block: the method is on the request path.</para>
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

    /// <summary>Request headers; look-ups ignore case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Signal.EmptyProperties;

    /// <summary>The raw body exactly as received (already un-gzipped), for signature checks and parsing.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The Content-Type header, or empty.</summary>
    public string ContentType { get; init; } = "";
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
