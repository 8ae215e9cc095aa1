using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Infrastructure;

/// <summary>Turns exceptions into RFC 7807 problem details; nothing else in the host writes error bodies by hand.</summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, errors) = exception switch
        {
            RequestValidationException e => (400, "Invalid request", e.Message, e.Errors),
            // Every 400 names a field: a body that cannot be read at all is the field "body".
            JsonException e => (400, "Malformed JSON", Describe(e), Field(e.Path ?? "body", Describe(e))),
            BadHttpRequestException e => (e.StatusCode, e.StatusCode switch { 413 => "Payload too large", 415 => "Unsupported media type", _ => "Bad request" }, e.Message, null),
            AccessDeniedException e => (403, "Forbidden", e.Message, null),
            NotFoundException e => (404, "Not found", e.Message, null),
            ConflictException e => (409, "Conflict", e.Message, null),
            Core.Plugins.PackageRefusedException e => (e.Status, "Plugin package refused", e.Message, e.Errors),
            LedgerUnavailableException e => (503, "Temporarily unavailable", e.Message, null),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "Client closed request", null, null),
            _ => (500, "Internal error", "An unexpected error occurred; it has been logged.", (IDictionary<string, string[]>?)null),
        };

        if (status == 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        if (status == 503)
        {
            http.Response.Headers.RetryAfter = "1";
        }

        http.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static string Describe(JsonException e) =>
        e.Path is null ? e.Message : $"The value at '{e.Path}' is not valid: {FirstLine(e.Message)}";

    private static string FirstLine(string message) => message.Split('.', 2)[0] + ".";

    private static Dictionary<string, string[]> Field(string path, string message) =>
        new() { [path.TrimStart('$').TrimStart('.')] = [message] };
}
