using System.Net;

namespace ScoreHub.Sdk.Testing;

/// <summary>One HTTP request an action sent, with its body read.</summary>
public sealed class ReceivedRequest
{
    /// <summary>The HTTP method.</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>The absolute request URI.</summary>
    public required Uri? Uri { get; init; }

    /// <summary>Request and content headers, multiple values joined with <c>,</c>; look-ups ignore case.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The body as text, or empty.</summary>
    public string Body { get; init; } = "";
}

/// <summary>
/// Stands in for the system an action calls (a webhook receiver, an email tool's API): pass it to
/// <see cref="TestContexts.Action"/> and the context's <see cref="ActionContext.Http"/> sends here. It records every
/// request and answers as told: a status, a connection failure, or never (until the call is cancelled).
/// </summary>
public sealed class FakeReceiver : HttpMessageHandler
{
    private readonly Func<ReceivedRequest, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A receiver that answers every request with 200 and <c>{}</c>.</summary>
    public FakeReceiver()
        : this((_, _) => Task.FromResult(Json(HttpStatusCode.OK, "{}")))
    {
    }

    /// <summary>A receiver that answers with whatever <paramref name="respond"/> returns (or throws).</summary>
    public FakeReceiver(Func<ReceivedRequest, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    /// <summary>Answers every request with <paramref name="status"/> and a JSON body.</summary>
    public static FakeReceiver Answering(HttpStatusCode status, string body = "{}") =>
        new((_, _) => Task.FromResult(Json(status, body)));

    /// <summary>Fails every request as a refused connection does (<see cref="HttpRequestException"/>).</summary>
    public static FakeReceiver Unreachable() =>
        new((_, _) => Task.FromException<HttpResponseMessage>(
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (fake receiver).")));

    /// <summary>Never answers: the request completes only by cancellation of the caller's token.</summary>
    public static FakeReceiver Hanging() =>
        new(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("Unreachable.");
        });

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Completes when the first request arrives.</summary>
    public Task FirstRequest => _firstRequest.Task;

    /// <summary>A response with a JSON body.</summary>
    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        var received = new ReceivedRequest
        {
            Method = request.Method,
            Uri = request.RequestUri,
            Headers = headers,
            Body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken),
        };
        lock (_lock)
        {
            _requests.Add(received);
        }

        _firstRequest.TrySetResult();
        return await _respond(received, cancellationToken);
    }
}
