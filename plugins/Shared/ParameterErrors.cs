using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Shared;

/// <summary>
/// Trigger parameters and settings are checked when the action runs: a bad value fails the same way on every
/// retry, so it is never retryable, and the reason names the field as <c>parameters.x</c> or <c>settings.x</c>.
/// </summary>
internal static class ParameterErrors
{
    public static ActionOutcome Parameter(string name, string message) =>
        ActionOutcome.Failed($"parameters.{name}: {message}", retryable: false);

    public static ActionOutcome Setting(string name, string message) =>
        ActionOutcome.Failed($"settings.{name}: {message}", retryable: false);

    /// <summary>An absolute http or https URL, or <c>null</c>.</summary>
    public static Uri? HttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
}
