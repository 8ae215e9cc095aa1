using System.Net.Http.Json;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugin1.NotifyAction))]

namespace ScoreHub.Plugin1;

/// <summary>
/// Posts each score transition as JSON to the workspace's URL, with the idempotency key as a header. The entry type
/// the assembly marker names; internal, as the host creates non-public entry types.
/// </summary>
internal sealed class NotifyAction : ILeadAction
{
    /// <summary>The setting holding the receiver's URL.</summary>
    public const string Url = "url";

    /// <summary>The header carrying <see cref="ActionRequest.IdempotencyKey"/>.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <inheritdoc />
    public PluginManifest Manifest { get; } = new()
    {
        Id = "PLUGIN_ID",
        Name = "ScoreHub.Plugin1",
        Version = "0.1.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.Action,
        Description = "Posts score transitions to a URL.",
        Settings = [new SettingDescriptor { Name = Url, Required = true, Description = "The https URL to post transitions to." }],
    };

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(Manifest.Settings);
        return settings.GetString(Url) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            ? report.Merge(ValidationReport.Invalid(new FieldError(Url, $"'{Url}' must be an absolute https URL.")))
            : report;
    }

    /// <inheritdoc />
    public async ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!Uri.TryCreate(context.Settings.GetString(Url), UriKind.Absolute, out var url))
        {
            return ActionOutcome.Failed($"'{Url}' is not set.", retryable: false);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new
            {
                lead = request.Lead.Id,
                email = request.Lead.Email,
                score = request.Transition.ScoreId,
                from = request.Transition.FromValue,
                to = request.Transition.ToValue,
                label = request.Transition.ToLabel,
            }),
        };
        message.Headers.Add(IdempotencyHeader, request.IdempotencyKey);
        try
        {
            using var response = await context.Http.SendAsync(message, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? ActionOutcome.Success()
                : ActionOutcome.Failed($"The receiver answered {status}.", retryable: status is 408 or 429 or >= 500);
        }
        catch (HttpRequestException ex)
        {
            return ActionOutcome.Failed($"The receiver could not be reached ({ex.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionOutcome.Failed("The receiver did not answer in time.");
        }
    }
}
