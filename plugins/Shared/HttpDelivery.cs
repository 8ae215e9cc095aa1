using System.Net;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Shared;

/// <summary>The answer of one HTTP call: the body of a 2xx, or the outcome that ends the action.</summary>
internal sealed class HttpReply
{
    private HttpReply(string body, ActionOutcome? failure)
    {
        Body = body;
        Failure = failure;
    }

    /// <summary>The response body of a 2xx answer; empty otherwise.</summary>
    public string Body { get; }

    /// <summary>Why the call failed, already mapped to retryable or not; <c>null</c> on a 2xx.</summary>
    public ActionOutcome? Failure { get; }

    public static HttpReply Ok(string body) => new(body, null);

    public static HttpReply Fail(ActionOutcome failure) => new("", failure);
}

/// <summary>
/// Sends one request for an action plugin and maps the answer to the outcome rules every action follows:
/// 2xx is success; 408, 429 and 5xx, timeouts and connection errors are worth retrying; any other status
/// (4xx, an unfollowed redirect) will fail the same way again. Never throws.
/// </summary>
/// <remarks>Compiled into each HTTP-calling plugin (plugins reference only the SDK, so there is no shared assembly).</remarks>
internal static class HttpDelivery
{
    public static async Task<HttpReply> SendAsync(HttpClient http, HttpRequestMessage request, string receiver, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return HttpReply.Ok(await response.Content.ReadAsStringAsync(cancellationToken));
            }

            return HttpReply.Fail(ForStatus(receiver, response.StatusCode, response.ReasonPhrase));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HttpReply.Fail(ActionOutcome.Failed($"{receiver}: cancelled before it answered.", retryable: true));
        }
        catch (OperationCanceledException)
        {
            // HttpClient reports its own timeout as a cancellation the caller did not ask for.
            return HttpReply.Fail(ActionOutcome.Failed($"{receiver}: timed out.", retryable: true));
        }
        catch (HttpRequestException ex)
        {
            // The message may name the host; the error kind is enough and leaks nothing.
            return HttpReply.Fail(ActionOutcome.Failed($"{receiver}: request failed ({ex.HttpRequestError}).", retryable: true));
        }
    }

    /// <summary>The outcome for a non-2xx status.</summary>
    public static ActionOutcome ForStatus(string receiver, HttpStatusCode status, string? reasonPhrase)
    {
        var code = (int)status;
        var retryable = code is 408 or 429 or >= 500;
        var phrase = string.IsNullOrWhiteSpace(reasonPhrase) ? "" : $" {reasonPhrase}";
        return ActionOutcome.Failed($"{receiver} answered {code}{phrase}.", retryable);
    }
}
