using System.Globalization;
using System.Net.Http.Json;
using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Receiver;

[assembly: ScoreHubPlugin(typeof(ReceiverAction))]

namespace ScoreHub.TestPlugins.Receiver;

/// <summary>
/// An action for outbox tests: POSTs the transition to <c>parameters.url</c> with an <c>Idempotency-Key</c> header.
/// 2xx = success (with <c>parameters.setOwner</c> as a property change, and <c>parameters.notify</c> as a feed
/// notification), 4xx = permanent failure, anything else = retryable.
/// </summary>
public sealed class ReceiverAction : ILeadAction
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "test.receiver",
        Name = "Receiver test action",
        Version = "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.Action,
    };

    public ValidationReport ValidateSettings(PluginSettings settings) => ValidationReport.Valid;

    public async ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var url = request.Parameters.GetString("url");
        if (url is null)
        {
            return ActionOutcome.Failed("parameters.url is required.", retryable: false);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new
            {
                trigger = request.TriggerId,
                sequence = request.Sequence,
                lead = request.Lead.Id,
                email = request.Lead.Email,
                score = request.Transition.ScoreId,
                from = request.Transition.FromLabel,
                to = request.Transition.ToLabel,
                value = request.Transition.ToValue,
                cause = request.Transition.Cause,
                groups = request.Transition.Breakdown.Count,
            }),
        };
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        try
        {
            using var response = await context.Http.SendAsync(message, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                if (request.Parameters.GetString("notify") is { } title)
                {
                    return ActionOutcome.Notify(new FeedNotification { Title = title, LeadId = request.Lead.Id });
                }

                return request.Parameters.GetString("setOwner") is { } owner
                    ? ActionOutcome.Success(new Dictionary<string, string?> { ["owner"] = owner })
                    : ActionOutcome.Success();
            }

            return ActionOutcome.Failed("Receiver answered " + status.ToString(CultureInfo.InvariantCulture), retryable: status is < 400 or >= 500);
        }
        catch (HttpRequestException ex)
        {
            return ActionOutcome.Failed("Receiver unreachable: " + ex.Message);
        }
    }
}
