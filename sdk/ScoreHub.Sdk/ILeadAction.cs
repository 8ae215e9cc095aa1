namespace ScoreHub.Sdk;

/// <summary>
/// Reacts to a score transition (a lead became hot, crossed 50, left hot): an alert, an email-flow enrolment,
/// an owner assignment.
/// </summary>
/// <remarks>
/// <para><b>Delivery.</b> The host records every action in a durable outbox before calling it and retries failures
/// with backoff, so a call may be repeated after a crash or a timeout. Pass
/// <see cref="ActionRequest.IdempotencyKey"/> on to the receiver so repeats are absorbed there.</para>
/// <para><b>Exceptions.</b> Return <see cref="ActionOutcome.Failed"/> rather than throwing; an exception is treated
/// as a retryable failure and counts against the plugin's circuit breaker.</para>
/// <para><b>Cancellation.</b> Honour the token: it fires on the invoker's timeout and on shutdown. Stop promptly and
/// throw <see cref="OperationCanceledException"/> or return a retryable <see cref="ActionOutcome.Failed"/>; never report
/// success for an effect the receiver did not confirm.</para>
/// </remarks>
public interface ILeadAction : IScoreHubPlugin
{
    /// <summary>Performs the action once.</summary>
    ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken);
}

/// <summary>What happened to which lead, and the trigger that fired.</summary>
public sealed class ActionRequest
{
    /// <summary>Stable across retries of the same (trigger, lead, transition).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The trigger that fired.</summary>
    public required string TriggerId { get; init; }

    /// <summary>The transition.</summary>
    public required ScoreTransition Transition { get; init; }

    /// <summary>The lead as of the transition.</summary>
    public required LeadSnapshot Lead { get; init; }

    /// <summary>The trigger's parameters for this action (e.g. a recipient address), a JSON object.</summary>
    public PluginSettings Parameters { get; init; } = PluginSettings.Empty;

    /// <summary>
    /// 1 for the trigger's first action in the workspace, then 2, 3, ...; the same on every retry. Lets an action
    /// rotate deterministically, across restarts (round-robin owner assignment: <c>owners[(Sequence - 1) % n]</c>).
    /// Since SDK 1.1.
    /// </summary>
    public long Sequence { get; init; }
}

/// <summary>A change of a lead's score or label.</summary>
public sealed class ScoreTransition
{
    /// <summary>The score model's id.</summary>
    public required string ScoreId { get; init; }

    /// <summary>The score model's name.</summary>
    public string ScoreName { get; init; } = "";

    /// <summary>The value before.</summary>
    public double? FromValue { get; init; }

    /// <summary>The value after.</summary>
    public required double ToValue { get; init; }

    /// <summary>The label before.</summary>
    public string? FromLabel { get; init; }

    /// <summary>The label after.</summary>
    public string? ToLabel { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What caused it: <c>event</c>, <c>time</c> (decay, expiry), <c>publish</c> or <c>restart</c>. Since SDK 1.1.</summary>
    public string Cause { get; init; } = "event";

    /// <summary>The score's breakdown after the transition (groups, rules), for a short "why" in an alert. Since SDK 1.1.</summary>
    public IReadOnlyList<GroupBreakdown> Breakdown { get; init; } = [];
}

/// <summary>A lead's identity and current properties.</summary>
public sealed class LeadSnapshot
{
    /// <summary>The lead's id.</summary>
    public required string Id { get; init; }

    /// <summary>Contact or company.</summary>
    public LeadKind Kind { get; init; } = LeadKind.Contact;

    /// <summary>The email address, when known.</summary>
    public string? Email { get; init; }

    /// <summary>Current property values.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = Signal.EmptyProperties;
}

/// <summary>What an action is given besides the request.</summary>
public sealed class ActionContext
{
    /// <summary>The workspace.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>This workspace's settings for the plugin, already validated.</summary>
    public required PluginSettings Settings { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>A logger scoped to the plugin. Never log secrets.</summary>
    public required Microsoft.Extensions.Logging.ILogger Logger { get; init; }

    /// <summary>An HTTP client managed by the host (pooled; do not dispose).</summary>
    public required HttpClient Http { get; init; }
}

/// <summary>The result of one attempt.</summary>
public sealed class ActionOutcome
{
    private ActionOutcome(bool succeeded, bool retryable, string? reason)
    {
        Succeeded = succeeded;
        Retryable = retryable;
        Reason = reason;
    }

    /// <summary>Whether the action took effect.</summary>
    public bool Succeeded { get; }

    /// <summary>For failures: whether trying again may help (a 503) or not (a 400).</summary>
    public bool Retryable { get; }

    /// <summary>For failures: why, without secrets.</summary>
    public string? Reason { get; }

    /// <summary>Contact property changes to apply through the normal write path (owner, lifecycle stage).</summary>
    public IReadOnlyDictionary<string, string?> PropertyChanges { get; private init; } = new Dictionary<string, string?>();

    /// <summary>Done.</summary>
    public static ActionOutcome Success() => new(true, false, null);

    /// <summary>Done, and these contact properties should change.</summary>
    public static ActionOutcome Success(IReadOnlyDictionary<string, string?> propertyChanges) =>
        new(true, false, null) { PropertyChanges = propertyChanges };

    /// <summary>In-app notifications to show on the workspace's live feed (since SDK 1.1).</summary>
    public IReadOnlyList<FeedNotification> Notifications { get; private init; } = [];

    /// <summary>Not done.</summary>
    public static ActionOutcome Failed(string reason, bool retryable = true) => new(false, retryable, reason);

    /// <summary>Done: show this notification on the workspace's live feed (the host delivers it). Since SDK 1.1.</summary>
    public static ActionOutcome Notify(FeedNotification notification) =>
        new(true, false, null) { Notifications = [notification] };

    /// <summary>
    /// Done: these contact properties should change and these notifications be shown on the live feed (an owner
    /// assigned and told so in one outcome). Either list may be empty. The host applies the property changes first,
    /// through the normal write path, then publishes the notifications. Since SDK 1.2.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is <c>null</c>; pass an empty collection instead.</exception>
    public static ActionOutcome Success(IReadOnlyDictionary<string, string?> propertyChanges, IReadOnlyList<FeedNotification> notifications)
    {
        ArgumentNullException.ThrowIfNull(propertyChanges);
        ArgumentNullException.ThrowIfNull(notifications);
        return new(true, false, null) { PropertyChanges = propertyChanges, Notifications = notifications };
    }
}

/// <summary>An in-app notification for the sales reps watching the live feed. Since SDK 1.1.</summary>
public sealed class FeedNotification
{
    /// <summary>A short title, e.g. "Ann Smith is hot".</summary>
    public required string Title { get; init; }

    /// <summary>One or two sentences: the score, the transition, the top reasons.</summary>
    public string Message { get; init; } = "";

    /// <summary><c>info</c>, <c>success</c> or <c>warning</c>; the page colours the toast by it.</summary>
    public string Level { get; init; } = "info";

    /// <summary>The lead the notification is about, so the page can link to it.</summary>
    public string? LeadId { get; init; }
}
