using Microsoft.Extensions.Logging;
using Xunit;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// The <see cref="ISignalSource"/> contract as xunit tests. Derive one class per source in your test project and
/// supply the source, valid settings and realistic sample requests; every <c>[Fact]</c> here then runs against it.
/// </summary>
/// <example><code>
/// public sealed class WebinarSourceCompliance : SignalSourceCompliance&lt;ISignalSource&gt;
/// {
///     protected override ISignalSource CreatePlugin() => new WebinarSource(); // internal sealed, seen through InternalsVisibleTo
///     protected override PluginSettings ValidSettings => new SettingsBuilder().With("signingKey", Key).Build();
///     protected override IEnumerable&lt;SourceRequest&gt; SampleRequests() => [Signed(Fixtures.Registration)];
///     protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory&lt;byte&gt; body) => Signed(body);
/// }
/// </code></example>
/// <typeparam name="TSource">
/// The entry type, or <see cref="ISignalSource"/> when the entry type is internal (a public test class cannot name an internal
/// type argument; the checks use the created instance's own type).
/// </typeparam>
public abstract class SignalSourceCompliance<TSource> : PluginCompliance<TSource>
    where TSource : ISignalSource
{
    /// <summary>How long a call may take after its token fired before the suite calls it "not prompt".</summary>
    protected static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Realistic, well-formed, correctly signed requests (from your fixtures), each accepted by the source. Together
    /// they must produce at least one signal.
    /// </summary>
    protected abstract IEnumerable<SourceRequest> SampleRequests();

    /// <summary>
    /// <paramref name="sample"/> with its body replaced, and re-signed if the source checks a signature over the body,
    /// so malformed payloads get past verification and reach the parser. Default: the body replaced, nothing re-signed.
    /// </summary>
    protected virtual SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => TestRequests.Copy(sample, body: body);

    /// <summary>
    /// A request whose sender fails verification (bad or missing signature), which must be answered 401 with nothing
    /// stored. <c>null</c> (the default) for a source that has no sender to verify; say why where you override.
    /// </summary>
    protected virtual SourceRequest? UnverifiedRequest => null;

    /// <summary>The context of each call; by default <see cref="PluginCompliance{TPlugin}.ValidSettings"/> on a fake clock at <see cref="PluginCompliance{TPlugin}.Now"/>.</summary>
    protected virtual SourceContext CreateContext(ILogger? logger = null) =>
        TestContexts.Source(ValidSettings, TestContexts.Clock(Now), logger);

    /// <summary>Every sample is accepted, and what it returns passes the host's validation.</summary>
    [Fact]
    public async Task Sample_requests_are_accepted_with_signals_the_host_can_store()
    {
        var source = CreatePlugin();
        var total = 0;
        foreach (var request in SampleRequests())
        {
            var response = await source.HandleAsync(request, CreateContext(), CancellationToken.None);

            Assert.True(response.IsAccepted, $"A sample was not accepted: {response.StatusCode} {response.Title} {response.Detail} ({response.Field})");
            AssertStorable(response);
            total += response.Signals.Count + response.Schedule.Count;
        }

        Assert.True(total > 0, "The samples produced no signal; give at least one request that does.");
    }

    /// <summary>
    /// A provider retries when the host stopped before answering: the same request, to a new instance, gives the same
    /// signal ids, so the ledger stores each once.
    /// </summary>
    [Fact]
    public async Task A_request_retried_after_a_restart_gives_the_same_signal_ids()
    {
        foreach (var request in SampleRequests())
        {
            var first = await CreatePlugin().HandleAsync(request, CreateContext(), CancellationToken.None);
            var retry = await CreatePlugin().HandleAsync(request, CreateContext(), CancellationToken.None);

            Assert.Equal(Describe(first), Describe(retry));
        }
    }

    /// <summary>One instance handles requests from many threads at once as it would one at a time.</summary>
    [Fact]
    public async Task Requests_handled_concurrently_give_what_they_give_one_at_a_time()
    {
        var samples = SampleRequests().ToList();
        var expected = new List<string>();
        foreach (var request in samples)
        {
            expected.Add(Describe(await CreatePlugin().HandleAsync(request, CreateContext(), CancellationToken.None)));
        }

        var shared = CreatePlugin();
        var actual = await Task.WhenAll(samples.Select(request =>
            Task.Run(async () => Describe(await shared.HandleAsync(request, CreateContext(), CancellationToken.None)))));

        Assert.Equal(expected, actual);
    }

    /// <summary>A sender that fails verification gets 401 and nothing is stored.</summary>
    [Fact]
    public async Task Unverified_sender_is_unauthorized_and_nothing_is_stored()
    {
        if (UnverifiedRequest is not { } request)
        {
            return; // The source declared it has no sender to verify.
        }

        var response = await CreatePlugin().HandleAsync(request, CreateContext(), CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(response.Signals);
        Assert.Empty(response.Schedule);
        Assert.Empty(response.Cancel);
    }

    /// <summary>
    /// Bodies that are not what the provider sends (broken syntax, a value null or of another type, a member missing)
    /// are answered, never thrown: a 4xx rejection naming the field, or an acceptance whose signals are still storable.
    /// </summary>
    [Fact]
    public async Task Malformed_payloads_are_answered_not_thrown()
    {
        var source = CreatePlugin();
        foreach (var sample in SampleRequests())
        {
            var bodies = Mutations.BrokenBodies(sample.Body).Concat(Mutations.ValueVariants(sample.Body, sample.ContentType));
            foreach (var body in bodies)
            {
                var request = WithBody(sample, body);
                SourceResponse response;
                try
                {
                    response = await source.HandleAsync(request, CreateContext(), CancellationToken.None);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"HandleAsync threw {ex.GetType().Name} ({ex.Message}) for the body: {Shorten(TestRequests.BodyText(request))}");
                    throw;
                }

                Assert.True(response.StatusCode is >= 200 and < 500,
                    $"Answered {response.StatusCode} to the body: {Shorten(TestRequests.BodyText(request))}");
                if (response.StatusCode == 400)
                {
                    Assert.False(string.IsNullOrWhiteSpace(response.Field),
                        $"A 400 must name the field at fault (BadRequest(field, detail)); none for: {Shorten(TestRequests.BodyText(request))}");
                }

                if (response.IsAccepted)
                {
                    AssertStorable(response);
                }
            }
        }
    }

    /// <summary>A call whose token has already fired stops promptly: it throws <see cref="OperationCanceledException"/> or returns.</summary>
    [Fact]
    public async Task Cancelled_call_stops_promptly()
    {
        var source = CreatePlugin();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        foreach (var request in SampleRequests())
        {
            try
            {
                await source.HandleAsync(request, CreateContext(), cancelled.Token).AsTask().WaitAsync(Prompt);
            }
            catch (OperationCanceledException)
            {
                // Honoured.
            }
        }
    }

    /// <summary>No secret setting appears in anything the source logs, whatever it was sent.</summary>
    [Fact]
    public async Task Secret_settings_never_appear_in_logs()
    {
        var source = CreatePlugin();
        var logger = new RecordingLogger();
        var requests = SampleRequests().ToList();
        if (UnverifiedRequest is { } unverified)
        {
            requests.Add(unverified);
        }

        foreach (var sample in requests.ToList())
        {
            requests.AddRange(Mutations.BrokenBodies(sample.Body).Select(b => WithBody(sample, b)));
        }

        foreach (var request in requests)
        {
            await source.HandleAsync(request, CreateContext(logger), CancellationToken.None);
        }

        foreach (var secret in SecretValues(source))
        {
            Assert.False(logger.ContainsText(secret), "A secret setting's value was logged.");
        }
    }

    private void AssertStorable(SourceResponse response)
    {
        Assert.All(response.Signals, s => ContractAssert.Signal(s, Now));
        Assert.All(response.Schedule, s => ContractAssert.Scheduled(s, Now));
        Assert.All(response.Cancel, key => Assert.False(string.IsNullOrEmpty(key), "A cancelled schedule key is empty."));
    }

    private static string Describe(SourceResponse response) =>
        $"{response.StatusCode} {response.Field} | " +
        string.Join(", ", response.Signals.Select(s => $"{s.Id} {s.Type} {s.OccurredAt:O}")) + " | " +
        string.Join(", ", response.Schedule.Select(s => $"{s.Key} {s.DueAt:O} {s.Signal.Id}")) + " | " +
        string.Join(", ", response.Cancel);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
