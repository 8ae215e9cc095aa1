using System.Net;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Events;

public sealed class OverloadTests : IAsyncLifetime, IDisposable
{
    private readonly ScoreHubApp _app = new(settings: new Dictionary<string, string?>
    {
        ["ScoreHub:IngestRequestsPerSecond"] = "1",
        ["ScoreHub:IngestBurst"] = "2",
    });

    private TestWorkspace _a = null!;
    private TestWorkspace _b = null!;

    public async Task InitializeAsync()
    {
        _a = await _app.CreateWorkspaceAsync("A");
        _b = await _app.CreateWorkspaceAsync("B");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_key_beyond_its_rate_gets_429_with_retry_after_and_nothing_of_those_requests_is_stored()
    {
        var client = _app.Client(_a.IngestKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostEventsAsync(Api.Event($"e{i}", new { email = $"lead{i}@example.com" }, at: Api.Yesterday))));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= 4, $"{limited.Count} of 8 were limited");
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        var problem = await limited[0].JsonAsync();
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(8, accepted + limited.Count);
        Assert.Equal(accepted, (await _app.Client(_a.SecretKey).GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task One_workspace_at_its_limit_does_not_limit_another()
    {
        var a = _app.Client(_a.IngestKey);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => a.PostEventsAsync(Api.Event($"e{i}", new { email = "x@example.com" }, at: Api.Yesterday))));

        var b = await _app.Client(_b.IngestKey).PostEventsAsync(Api.Event("b1", new { email = "y@example.com" }, at: Api.Yesterday));

        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }
}
