using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugin1.Tests;

/// <summary>Every check of the action contract, run against this plugin.</summary>
public sealed class NotifyActionCompliance : LeadActionCompliance<ILeadAction>
{
    protected override ILeadAction CreatePlugin() => new NotifyAction();

    protected override PluginSettings ValidSettings => NotifyActionTests.Settings;

    protected override ActionRequest SampleRequest => new ActionRequestBuilder().Build();
}

public sealed class NotifyActionTests
{
    internal static PluginSettings Settings => new SettingsBuilder().With(NotifyAction.Url, "https://hooks.example.com/scorehub").Build();

    [Fact]
    public async Task A_transition_is_posted_to_the_url_with_its_idempotency_key()
    {
        var receiver = new FakeReceiver();
        var request = new ActionRequestBuilder().Build();

        var outcome = await new NotifyAction().ExecuteAsync(request, TestContexts.Action(Settings, receiver), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var sent = Assert.Single(receiver.Requests);
        Assert.Equal("https://hooks.example.com/scorehub", sent.Uri?.ToString());
        Assert.Equal(request.IdempotencyKey, sent.Headers[NotifyAction.IdempotencyHeader]);
    }
}
