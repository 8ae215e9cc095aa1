using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

// Prints a ScoreHub workspace's hot leads, then every lead that becomes hot or leaves hot, live.
//   dotnet run --project samples/FeedConsole -- http://localhost:5080 shk_feed_...
// or set SCOREHUB_URL and SCOREHUB_FEED_KEY. Stop with Ctrl+C.
var url = args.ElementAtOrDefault(0) ?? Environment.GetEnvironmentVariable("SCOREHUB_URL") ?? "http://localhost:5080";
var key = args.ElementAtOrDefault(1) ?? Environment.GetEnvironmentVariable("SCOREHUB_FEED_KEY");
if (string.IsNullOrWhiteSpace(key))
{
    Console.Error.WriteLine("usage: FeedConsole <url> <feed key>   (or SCOREHUB_URL / SCOREHUB_FEED_KEY)");
    return 2;
}

var baseUri = new Uri(url.TrimEnd('/') + "/");
using var http = new HttpClient { BaseAddress = baseUri };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

await using var hub = new HubConnectionBuilder()
    .WithUrl(new Uri(baseUri, "hubs/leads"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(key))
    .WithAutomaticReconnect()
    .Build();

hub.On<JsonElement>("labelChanged", m =>
{
    var kind = m.GetProperty("kind").GetString();
    if (kind is "becameHot" or "leftHot")
    {
        Console.WriteLine($"{Now()}  {(kind == "becameHot" ? "HOT " : "cool")}  {Lead(m)}  {Points(m.GetProperty("value"))}  " +
            $"({m.GetProperty("fromLabel").GetString() ?? "-"} -> {m.GetProperty("toLabel").GetString() ?? "-"}, {m.GetProperty("scoreName").GetString()})");
    }
});
// The hub's first message: changes reach this connection from now on (SignalR's StartAsync returns a little earlier).
var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
hub.On<JsonElement>("subscribed", _ => subscribed.TrySetResult());
hub.On<JsonElement>("notification", n => Console.WriteLine($"{Now()}  note  {n.GetProperty("title").GetString()}"));
hub.Reconnecting += _ => { Console.WriteLine($"{Now()}  (reconnecting)"); return Task.CompletedTask; };

// Subscribe first, then read the current state: nothing that changes in between is missed.
await hub.StartAsync();
await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
foreach (var score in await http.GetFromJsonAsync<JsonElement[]>("api/v1/scores") ?? [])
{
    var id = score.GetProperty("id").GetString()!;
    var hot = await http.GetFromJsonAsync<JsonElement[]>($"api/v1/scores/{Uri.EscapeDataString(id)}/records?label=hot&sort=-score") ?? [];
    Console.WriteLine($"{score.GetProperty("name").GetString()}: {hot.Length} hot lead(s)");
    foreach (var lead in hot)
    {
        Console.WriteLine($"  {Lead(lead)}  {Points(lead.GetProperty("value"))}");
    }
}

Console.WriteLine("Watching for leads that become hot (Ctrl+C to stop)...");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;

static string Lead(JsonElement m)
{
    var name = Text(m, "name") ?? Text(m, "email") ?? Text(m, "contactId");
    return Text(m, "company") is { } company ? $"{name} ({company})" : name!;
}

static string? Text(JsonElement m, string property) =>
    m.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

static string Points(JsonElement value) => value.GetDouble().ToString("0.#", CultureInfo.InvariantCulture);

static string Now() => TimeProvider.System.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
