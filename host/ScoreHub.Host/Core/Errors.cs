namespace ScoreHub.Host.Core;

/// <summary>Input was rejected; <see cref="Errors"/> maps each JSON path to what is wrong with it. Becomes a 400.</summary>
internal sealed class RequestValidationException(IDictionary<string, string[]> errors, string? detail = null)
    : Exception(detail ?? "One or more fields are invalid.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The caller's key may not do this. Becomes a 403.</summary>
internal sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>No such resource in the caller's workspace. Becomes a 404.</summary>
internal sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request conflicts with current state. Becomes a 409.</summary>
internal sealed class ConflictException(string message) : Exception(message);
