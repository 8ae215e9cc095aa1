using System.Text.Json;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Actions;

/// <summary>
/// One attempt of a delivery: finds the action plugin and its activation, rebuilds the request from the lead as it is
/// now (with the breakdown as of the transition), and calls the plugin through the invoker (timeout, exception
/// capture, circuit breaker). Counts the attempt and notes its error on the delivery; stores nothing.
/// </summary>
internal sealed class ActionAttempt(
    Ledger ledger, ScoreEngine engine, PluginCatalog catalog, Activations activations, PluginInvoker invoker,
    IHttpClientFactory http, TimeProvider clock, ILoggerFactory loggers)
{
    public async Task<ActionOutcome> RunAsync(Delivery delivery, CancellationToken ct)
    {
        delivery.Attempts++;
        var outcome = await CallAsync(delivery, ct);
        delivery.LastError = outcome.Succeeded ? null : outcome.Reason;
        return outcome;
    }

    private async Task<ActionOutcome> CallAsync(Delivery delivery, CancellationToken ct)
    {
        if (catalog.Find(delivery.Plugin)?.Instance is not ILeadAction action ||
            activations.Find(delivery.WorkspaceId, delivery.Plugin) is not { } activation)
        {
            return ActionOutcome.Failed($"The action plugin '{delivery.Plugin}' is not loaded or not active in this workspace.", retryable: false);
        }

        if (!activation.Usable)
        {
            return ActionOutcome.Failed($"The action plugin '{delivery.Plugin}' needs attention in this workspace: {activation.Attention}", retryable: false);
        }

        if (BuildRequest(delivery) is not { } request)
        {
            return ActionOutcome.Failed($"The {delivery.Kind.ToString().ToLowerInvariant()} '{delivery.RecordId}' no longer exists.", retryable: false);
        }

        var context = new ActionContext
        {
            WorkspaceId = delivery.WorkspaceId,
            Settings = activation.Settings,
            Clock = clock,
            Logger = loggers.CreateLogger("ScoreHub.Plugins." + delivery.Plugin),
            Http = http.CreateClient("actions"),
        };
        var call = await invoker.InvokeAsync(delivery.WorkspaceId, delivery.Plugin, token => action.ExecuteAsync(request, context, token), ct);
        return call.Succeeded ? call.Value! : ActionOutcome.Failed(call.Error ?? "The plugin failed.", retryable: true);
    }

    private ActionRequest? BuildRequest(Delivery delivery)
    {
        var data = ledger.Find(delivery.WorkspaceId);
        LeadView? view = null;
        LeadSnapshot? lead = null;
        if (delivery.Kind == LeadKind.Company && data?.Companies.GetValueOrDefault(delivery.RecordId) is { } company)
        {
            view = ScoreEngine.View(data, company);
            lead = new LeadSnapshot { Id = company.Id, Kind = LeadKind.Company, Properties = company.CurrentProperties() };
        }
        else if (delivery.Kind == LeadKind.Contact && data?.Find(delivery.RecordId) is { } contact)
        {
            view = ScoreEngine.View(contact);
            lead = new LeadSnapshot { Id = contact.Id, Email = contact.Email, Properties = contact.CurrentProperties() };
        }

        if (view is null || lead is null)
        {
            return null;
        }

        var score = engine.Find(delivery.WorkspaceId, delivery.ScoreId);
        var breakdown = score is null ? null : engine.EvaluateAt(score, view, delivery.At)?.Groups;
        using var parameters = JsonDocument.Parse(delivery.Parameters);
        return new ActionRequest
        {
            IdempotencyKey = delivery.IdempotencyKey,
            TriggerId = delivery.TriggerId,
            Sequence = delivery.Sequence,
            Parameters = new PluginSettings(parameters.RootElement),
            Lead = lead,
            Transition = new ScoreTransition
            {
                ScoreId = delivery.ScoreId,
                ScoreName = delivery.ScoreName,
                FromValue = delivery.FromValue,
                ToValue = delivery.ToValue,
                FromLabel = delivery.FromLabel,
                ToLabel = delivery.ToLabel,
                At = delivery.At,
                Cause = delivery.Cause,
                Breakdown = breakdown ?? [],
            },
        };
    }
}
