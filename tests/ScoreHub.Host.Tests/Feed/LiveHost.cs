using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Features.Feed;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Feed;

/// <summary>
/// The host on a real loopback port (Kestrel) with the first-party plugins and a fake clock, for SignalR and browser
/// tests; plus the lead-score model the feed tests use and helpers to drive a lead.
/// </summary>
public sealed class LiveHost : IDisposable
{
    public const string ScoreId = "lead-score";

    /// <summary>Sales 20+25+20 (limit 60); marketing 10 per download decaying 50% a week; 1 per email open (no limit); unsubscribe -60; hot from 71.</summary>
    public static readonly object Model = new
    {
        name = "Lead score",
        kind = "engagement",
        limit = 100,
        groups = new object[]
        {
            new
            {
                name = "Sales engagement", limit = 60,
                rules = new object[]
                {
                    new { @event = "meeting.booked", points = 20 },
                    new { @event = "meeting.completed", points = 25 },
                    new { @event = "web.form_submitted", points = 20 },
                },
            },
            new
            {
                name = "Marketing engagement", limit = 40, decay = new { percent = 50, every = "1 week" },
                rules = new object[] { new { @event = "web.downloaded", points = 10 } },
            },
            new { name = "Email", rules = new object[] { new { @event = "email.opened", points = 1 } } },
            new { name = "Negative signals", rules = new object[] { new { @event = "email.unsubscribed", points = -60 } } },
        },
        thresholds = new object[] { new { label = "cold", below = 30 }, new { label = "warm", below = 71 }, new { label = "hot" } },
    };

    private int _events;

    public LiveHost(IDictionary<string, string?>? settings = null)
    {
        App = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty, settings: settings);
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public ScoreHubApp App { get; }

    public Uri Address { get; }

    public HttpClient Client(string? key = null)
    {
        var client = App.Client(key);
        client.BaseAddress = Address;
        return client;
    }

    /// <summary>A workspace with the lead-score model published.</summary>
    public async Task<TestWorkspace> WorkspaceWithScoreAsync(string name)
    {
        var ws = await App.CreateWorkspaceAsync(name);
        var client = Client(ws.SecretKey);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/scores/{ScoreId}", Model)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/scores/{ScoreId}/publish", null)).StatusCode);
        return ws;
    }

    /// <summary>Creates or updates a contact with display properties; returns its ScoreHub id.</summary>
    public async Task<string> ContactAsync(TestWorkspace ws, string externalId, string email, string name, string company, string? owner = null)
    {
        var response = await Client(ws.SecretKey).PutAsJsonAsync($"/api/v1/contacts/{externalId}", new
        {
            email,
            properties = new Dictionary<string, string?> { ["name"] = name, ["owner"] = owner },
            company = new { id = "co-" + externalId, properties = new { name = company } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>Posts one event per type for the contact (by email), a minute before the host's clock; each acknowledged.</summary>
    public async Task EventsAsync(TestWorkspace ws, string email, params string[] types)
    {
        var at = App.Clock.GetUtcNow().AddMinutes(-1);
        var events = types.Select(t => Api.Event($"ev-{Interlocked.Increment(ref _events)}", new { email }, t, at)).ToArray();
        var response = await Client(ws.SecretKey).PostEventsAsync(events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A SignalR connection to /hubs/leads with the key as access_token, recording every message it gets.</summary>
    public HubConnection Hub(string? key, FeedRecorder? recorder = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Address, "/hubs/leads"), options =>
            {
                if (key is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(key);
                }
            })
            .Build();
        if (recorder is not null)
        {
            foreach (var method in new[] { "scoreChanged", "labelChanged", "notification" })
            {
                connection.On<JsonElement>(method, payload => recorder.Add(method, payload));
            }
        }

        return connection;
    }

    /// <summary>
    /// Starts the connection and waits for the hub's <c>subscribed</c> message: SignalR completes the client's
    /// handshake before the hub's OnConnectedAsync runs, so a change made right after <c>StartAsync</c> could miss it.
    /// </summary>
    public static async Task ConnectAsync(HubConnection hub, TestWorkspace ws)
    {
        var subscribed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (hub.On<JsonElement>("subscribed", m => subscribed.TrySetResult(m.Clone())))
        {
            await hub.StartAsync();
            var message = await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(ws.Id, message.GetProperty("workspaceId").GetString());
        }
    }

    public void Dispose() => App.Dispose();
}

/// <summary>Messages a hub connection received, in order.</summary>
public sealed class FeedRecorder
{
    private readonly ConcurrentQueue<(string Method, JsonElement Payload)> _messages = new();

    public IReadOnlyList<(string Method, JsonElement Payload)> Messages => [.. _messages];

    public void Add(string method, JsonElement payload) => _messages.Enqueue((method, payload.Clone()));

    public IReadOnlyList<JsonElement> Of(string method) => [.. _messages.Where(m => m.Method == method).Select(m => m.Payload)];

    /// <summary>Waits (real time) until a message satisfies the condition; fails after the timeout.</summary>
    public async Task<JsonElement> WaitForAsync(string method, Func<JsonElement, bool> condition, int timeoutMs = 5000)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < timeoutMs)
        {
            var hit = Of(method).Where(condition).ToList();
            if (hit.Count > 0)
            {
                return hit[^1];
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No matching '{method}' within {timeoutMs} ms; got: {string.Join(" | ", Messages.Select(m => m.Method + " " + m.Payload.GetRawText()))}");
    }
}
