using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Features.Feed;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Tests.Support;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Feed;

/// <summary>The /hubs/leads hub seen from the .NET SignalR client: who may connect, what arrives, and how bursts coalesce.</summary>
public sealed class FeedHubTests : IAsyncLifetime, IDisposable
{
    private readonly LiveHost _host = new(new Dictionary<string, string?> { ["ScoreHub:Feed:StallTimeout"] = "00:00:00.300" });
    private TestWorkspace _a = null!;
    private TestWorkspace _b = null!;

    public async Task InitializeAsync()
    {
        _a = await _host.WorkspaceWithScoreAsync("A");
        _b = await _host.WorkspaceWithScoreAsync("B");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_connection_without_a_key_is_refused_with_401()
    {
        await using var hub = _host.Hub(null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_connection_with_an_unknown_key_is_refused_with_401()
    {
        await using var hub = _host.Hub("shk_feed_not-a-real-key");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_connection_with_the_ingest_key_is_refused_with_403()
    {
        await using var hub = _host.Hub(_a.IngestKey);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_feed_connection_gets_the_new_score_with_the_lead_and_a_became_hot_transition()
    {
        var anna = await _host.ContactAsync(_a, "anna", "anna@example.com", "Anna de Vries", "Rotterdam Logistics", "sam");
        var recorder = new FeedRecorder();
        await using var hub = _host.Hub(_a.FeedKey, recorder);
        await LiveHost.ConnectAsync(hub, _a);

        await _host.EventsAsync(_a, "anna@example.com", "meeting.booked", "meeting.completed", "web.form_submitted", "web.downloaded", "web.downloaded");

        var score = await recorder.WaitForAsync("scoreChanged", m => m.GetProperty("value").GetDouble() == 80);
        Assert.Equal(LiveHost.ScoreId, score.GetProperty("scoreId").GetString());
        Assert.Equal("Lead score", score.GetProperty("scoreName").GetString());
        Assert.Equal(anna, score.GetProperty("contactId").GetString());
        Assert.Equal("Anna de Vries", score.GetProperty("name").GetString());
        Assert.Equal("anna@example.com", score.GetProperty("email").GetString());
        Assert.Equal("Rotterdam Logistics", score.GetProperty("company").GetString());
        Assert.Equal("sam", score.GetProperty("owner").GetString());
        Assert.Equal("hot", score.GetProperty("label").GetString());
        Assert.Equal("event", score.GetProperty("cause").GetString());
        Assert.Equal(_host.App.Clock.GetUtcNow().AddMinutes(-1), score.GetProperty("lastTouch").GetDateTimeOffset());
        var label = await recorder.WaitForAsync("labelChanged", m => m.GetProperty("contactId").GetString() == anna);
        Assert.Equal("becameHot", label.GetProperty("kind").GetString());
        Assert.Equal("hot", label.GetProperty("toLabel").GetString());
        Assert.Equal(80, label.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Leaving_hot_through_decay_is_sent_when_the_clock_reaches_it()
    {
        await _host.ContactAsync(_a, "bo", "bo@example.com", "Bo", "Havenwerk");
        await _host.EventsAsync(_a, "bo@example.com", "meeting.booked", "meeting.completed", "web.form_submitted", "web.downloaded", "web.downloaded");
        var recorder = new FeedRecorder();
        await using var hub = _host.Hub(_a.FeedKey, recorder);
        await LiveHost.ConnectAsync(hub, _a);

        _host.App.Clock.Advance(TimeSpan.FromDays(7)); // each download now counts 5: 70, warm

        var left = await recorder.WaitForAsync("labelChanged", _ => true);
        Assert.Equal("leftHot", left.GetProperty("kind").GetString());
        Assert.Equal("hot", left.GetProperty("fromLabel").GetString());
        Assert.Equal("warm", left.GetProperty("toLabel").GetString());
        Assert.Equal(70, left.GetProperty("value").GetDouble());
        Assert.Equal("time", Assert.Single(recorder.Of("scoreChanged")).GetProperty("cause").GetString());
    }

    [Fact]
    public async Task A_connection_of_workspace_B_receives_nothing_of_workspace_A()
    {
        var aRecorder = new FeedRecorder();
        var bRecorder = new FeedRecorder();
        await using var aHub = _host.Hub(_a.FeedKey, aRecorder);
        await using var bHub = _host.Hub(_b.SecretKey, bRecorder);
        await LiveHost.ConnectAsync(aHub, _a);
        await LiveHost.ConnectAsync(bHub, _b);

        await _host.EventsAsync(_a, "anna@example.com", "meeting.booked", "meeting.completed", "web.form_submitted", "web.downloaded", "web.downloaded");
        _host.App.Services.GetRequiredService<FeedNotifications>().Publish(_a.Id, "Anna is hot", "Call her today");

        await aRecorder.WaitForAsync("notification", n => n.GetProperty("title").GetString() == "Anna is hot");
        await aRecorder.WaitForAsync("labelChanged", _ => true);
        await Task.Delay(300); // anything for B would have been sent in the same flush as A's
        Assert.Empty(bRecorder.Messages);
    }

    [Fact]
    public async Task A_burst_of_fifty_events_on_one_lead_arrives_as_fewer_messages_ending_in_the_latest_state()
    {
        // A quarter-second window: on a busy machine 50 requests in a row may each take longer than the default 25 ms.
        using var host = new LiveHost(new Dictionary<string, string?> { ["ScoreHub:Feed:FlushInterval"] = "00:00:00.250" });
        var a = await host.WorkspaceWithScoreAsync("A");
        var recorder = new FeedRecorder();
        await using var hub = host.Hub(a.FeedKey, recorder);
        await LiveHost.ConnectAsync(hub, a);

        for (var i = 0; i < 50; i++)
        {
            await host.EventsAsync(a, "burst@example.com", "email.opened");
        }

        var last = await recorder.WaitForAsync("scoreChanged", m => m.GetProperty("value").GetDouble() == 50);
        await Task.Delay(1200);
        var messages = recorder.Of("scoreChanged");
        Assert.InRange(messages.Count, 1, 49);
        Assert.Equal(last.GetRawText(), messages[^1].GetRawText());
        Assert.Equal(50, messages.Sum(m => m.GetProperty("changes").GetInt32()));
        Assert.Equal(JsonValueKind.Null, messages[0].GetProperty("fromValue").ValueKind); // the lead was new to the score
    }

    [Fact]
    public async Task Fifty_changes_recorded_back_to_back_are_sent_as_at_most_two_messages()
    {
        // A one-second coalescing window, so that a preempted loop on a busy machine still falls within it.
        using var host = new LiveHost(new Dictionary<string, string?> { ["ScoreHub:Feed:FlushInterval"] = "00:00:01" });
        var a = await host.WorkspaceWithScoreAsync("A");
        var recorder = new FeedRecorder();
        await using var hub = host.Hub(a.FeedKey, recorder);
        await LiveHost.ConnectAsync(hub, a);
        var pump = host.App.Services.GetRequiredService<FeedPump>();
        var at = host.App.Clock.GetUtcNow();

        // As the scoring thread would call it: 50 changes of one lead in a row.
        for (var i = 1; i <= 50; i++)
        {
            pump.Record(new ScoreChanged(a.Id, LiveHost.ScoreId, "Lead score", LeadKind.Contact, "c_burst", i - 1, i, "cold", i < 30 ? "cold" : i < 71 ? "warm" : "hot", true, at, "event"));
        }

        var last = await recorder.WaitForAsync("scoreChanged", m => m.GetProperty("value").GetDouble() == 50);
        await Task.Delay(1200);
        Assert.InRange(recorder.Of("scoreChanged").Count, 1, 2);
        Assert.Equal("warm", last.GetProperty("label").GetString());
        Assert.Equal(50, recorder.Of("scoreChanged").Sum(m => m.GetProperty("changes").GetInt32()));
    }

    [Fact]
    public async Task A_stalled_connection_neither_delays_another_nor_piles_up_and_is_closed()
    {
        var pump = _host.App.Services.GetRequiredService<FeedPump>();
        var stalledSends = 0;
        var aborted = new TaskCompletionSource();
        pump.Subscribe(_a.Id, "stalled", (_, _) =>
        {
            Interlocked.Increment(ref stalledSends);
            return new TaskCompletionSource().Task; // never completes, like a client that stopped reading
        }, () => aborted.TrySetResult());
        var recorder = new FeedRecorder();
        await using var hub = _host.Hub(_a.FeedKey, recorder);
        await LiveHost.ConnectAsync(hub, _a);

        for (var i = 0; i < 10; i++)
        {
            await _host.EventsAsync(_a, "lead@example.com", "email.opened");
        }

        await recorder.WaitForAsync("scoreChanged", m => m.GetProperty("value").GetDouble() == 10, timeoutMs: 2000);
        Assert.Equal(1, stalledSends); // its first send never completed; the rest waited, coalesced, and were never queued
        await Task.Delay(400); // past the stall timeout
        await _host.EventsAsync(_a, "lead@example.com", "email.opened");
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(2));
        await recorder.WaitForAsync("scoreChanged", m => m.GetProperty("value").GetDouble() == 11, timeoutMs: 2000);
    }
}
