using System.Net;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// The <see cref="ILeadAction"/> contract as xunit tests. Calls go to a <see cref="FakeReceiver"/> through
/// <see cref="ActionContext.Http"/>; nothing leaves the process. An action that calls nothing over HTTP (it only
/// returns property changes or notifications) passes the receiver checks trivially.
/// </summary>
/// <typeparam name="TAction">
/// The entry type, or <see cref="ILeadAction"/> when the entry type is internal (a public test class cannot name an internal
/// type argument; the checks use the created instance's own type).
/// </typeparam>
public abstract class LeadActionCompliance<TAction> : PluginCompliance<TAction>
    where TAction : ILeadAction
{
    /// <summary>How long a call may take after its token fired before the suite calls it "not prompt".</summary>
    protected static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A realistic request (use <see cref="ActionRequestBuilder"/>) with trigger parameters that make the action
    /// succeed when its receiver answers 200. If the action can talk to several kinds of receiver, pick an HTTP one.
    /// </summary>
    protected abstract ActionRequest SampleRequest { get; }

    private static readonly string[] EmptyParameters = ["{}", """{"":null}"""];

    /// <summary>The context of each call; by default <see cref="PluginCompliance{TPlugin}.ValidSettings"/> on a fake clock.</summary>
    protected virtual ActionContext CreateContext(HttpMessageHandler receiver, ILogger? logger = null) =>
        TestContexts.Action(ValidSettings, receiver, TestContexts.Clock(Now), logger);

    /// <summary>With a receiver that answers 200 the sample succeeds.</summary>
    [Fact]
    public async Task Sample_request_succeeds_when_the_receiver_accepts_it()
    {
        var outcome = await Execute(new FakeReceiver());

        Assert.True(outcome.Succeeded, $"The sample failed: {outcome.Reason}");
    }

    /// <summary>Every call to a receiver carries the idempotency key (in a header or the body), so repeats are absorbed there.</summary>
    [Fact]
    public async Task Calls_to_the_receiver_carry_the_idempotency_key()
    {
        var receiver = new FakeReceiver();

        await Execute(receiver);

        var key = SampleRequest.IdempotencyKey;
        Assert.All(receiver.Requests, r => Assert.True(
            r.Headers.Values.Any(v => v.Contains(key, StringComparison.Ordinal)) || r.Body.Contains(key, StringComparison.Ordinal),
            $"{r.Method} {r.Uri} does not carry the idempotency key '{key}'."));
    }

    /// <summary>A receiver answering 503 is a failure worth retrying, not an exception.</summary>
    [Fact]
    public async Task Unavailable_receiver_is_a_retryable_failure()
    {
        var receiver = FakeReceiver.Answering(HttpStatusCode.ServiceUnavailable);

        var outcome = await Execute(receiver);

        if (receiver.Requests.Count > 0)
        {
            Assert.False(outcome.Succeeded, "The receiver answered 503, yet the action reported success.");
            Assert.True(outcome.Retryable, "A 503 is worth retrying.");
            Assert.False(string.IsNullOrWhiteSpace(outcome.Reason), "A failure says why.");
        }
    }

    /// <summary>A receiver answering 400 is a failure not worth retrying, not an exception.</summary>
    [Fact]
    public async Task Rejecting_receiver_is_a_failure_not_worth_retrying()
    {
        var receiver = FakeReceiver.Answering(HttpStatusCode.BadRequest, """{"error":"invalid"}""");

        var outcome = await Execute(receiver);

        if (receiver.Requests.Count > 0)
        {
            Assert.False(outcome.Succeeded, "The receiver answered 400, yet the action reported success.");
            Assert.False(outcome.Retryable, "A 400 will fail the same way again.");
        }
    }

    /// <summary>A receiver that cannot be reached is a retryable failure, not an exception.</summary>
    [Fact]
    public async Task Unreachable_receiver_is_a_retryable_failure()
    {
        var receiver = FakeReceiver.Unreachable();

        var outcome = await Execute(receiver);

        if (receiver.Requests.Count > 0)
        {
            Assert.False(outcome.Succeeded);
            Assert.True(outcome.Retryable, "A connection failure is worth retrying.");
        }
    }

    /// <summary>
    /// Cancelled while the receiver has not answered, the action stops promptly: it throws
    /// <see cref="OperationCanceledException"/> or returns a retryable failure, never success.
    /// </summary>
    [Fact]
    public async Task Cancelled_while_waiting_for_the_receiver_stops_promptly_without_claiming_success()
    {
        var receiver = FakeReceiver.Hanging();
        using var cts = new CancellationTokenSource();
        var call = CreatePlugin().ExecuteAsync(SampleRequest, CreateContext(receiver), cts.Token).AsTask();

        await Task.WhenAny(receiver.FirstRequest, call).WaitAsync(Prompt);
        await cts.CancelAsync();

        await AssertCancelledOutcome(call, receiver);
    }

    /// <summary>A call whose token has already fired stops promptly and claims no unconfirmed success.</summary>
    [Fact]
    public async Task Already_cancelled_call_stops_promptly_without_claiming_success()
    {
        var receiver = FakeReceiver.Hanging();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await AssertCancelledOutcome(CreatePlugin().ExecuteAsync(SampleRequest, CreateContext(receiver), cts.Token).AsTask(), receiver);
    }

    /// <summary>Trigger parameters the action cannot use give a failure (or a success), never an exception.</summary>
    [Fact]
    public async Task Unusable_parameters_are_a_failure_not_an_exception()
    {
        var action = CreatePlugin();
        var sample = SampleRequest;
        var variants = EmptyParameters.Select(PluginSettings.Parse)
            .Concat(Mutations.ValueVariants(System.Text.Encoding.UTF8.GetBytes(sample.Parameters.Json.GetRawText()), "application/json")
                .Select(b => PluginSettings.Parse(System.Text.Encoding.UTF8.GetString(b))));
        foreach (var parameters in variants)
        {
            var request = new ActionRequest
            {
                IdempotencyKey = sample.IdempotencyKey,
                TriggerId = sample.TriggerId,
                Transition = sample.Transition,
                Lead = sample.Lead,
                Parameters = parameters,
                Sequence = sample.Sequence,
            };
            try
            {
                await action.ExecuteAsync(request, CreateContext(new FakeReceiver()), CancellationToken.None);
            }
            catch (Exception ex)
            {
                Assert.Fail($"ExecuteAsync threw {ex.GetType().Name} ({ex.Message}) for the parameters {parameters.Json.GetRawText()}");
            }
        }
    }

    /// <summary>A retry of the same request (same idempotency key and sequence) asks for the same property changes and notifications.</summary>
    [Fact]
    public async Task A_retry_has_the_same_effect()
    {
        var first = await CreatePlugin().ExecuteAsync(SampleRequest, CreateContext(new FakeReceiver()), CancellationToken.None);
        var retry = await CreatePlugin().ExecuteAsync(SampleRequest, CreateContext(new FakeReceiver()), CancellationToken.None);

        Assert.Equal(Describe(first), Describe(retry));
    }

    /// <summary>No secret setting appears in anything the action logs, on success or failure.</summary>
    [Fact]
    public async Task Secret_settings_never_appear_in_logs()
    {
        var action = CreatePlugin();
        var logger = new RecordingLogger();
        foreach (var receiver in new[] { new FakeReceiver(), FakeReceiver.Answering(HttpStatusCode.ServiceUnavailable), FakeReceiver.Answering(HttpStatusCode.BadRequest), FakeReceiver.Unreachable() })
        {
            await action.ExecuteAsync(SampleRequest, CreateContext(receiver, logger), CancellationToken.None);
        }

        foreach (var secret in SecretValues(action))
        {
            Assert.False(logger.ContainsText(secret), "A secret setting's value was logged.");
        }
    }

    private async Task<ActionOutcome> Execute(FakeReceiver receiver)
    {
        var outcome = await CreatePlugin().ExecuteAsync(SampleRequest, CreateContext(receiver), CancellationToken.None);
        Assert.NotNull(outcome);
        return outcome;
    }

    private static async Task AssertCancelledOutcome(Task<ActionOutcome> call, FakeReceiver receiver)
    {
        ActionOutcome outcome;
        try
        {
            outcome = await call.WaitAsync(Prompt);
        }
        catch (OperationCanceledException)
        {
            return; // Honoured by throwing.
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The action was still running {Prompt.TotalSeconds} s after its token fired.");
            throw;
        }

        if (receiver.Requests.Count > 0)
        {
            Assert.False(outcome.Succeeded, "The receiver never answered, yet the action reported success.");
            Assert.True(outcome.Retryable, "A cancelled attempt is worth retrying.");
        }
    }

    private static string Describe(ActionOutcome outcome) =>
        $"{outcome.Succeeded} {outcome.Retryable} | " +
        string.Join(", ", outcome.PropertyChanges.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + " | " +
        string.Join(", ", outcome.Notifications.Select(n => $"{n.Level} {n.Title}: {n.Message} ({n.LeadId})"));
}
