using System.Net;
using System.Net.Http.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Feed;

/// <summary>The feed key reads what the hot-leads page needs, of its own workspace only, and writes nothing.</summary>
public sealed class FeedKeyAccessTests : IAsyncLifetime, IDisposable
{
    private readonly LiveHost _host = new();
    private TestWorkspace _a = null!;
    private string _anna = null!;

    public async Task InitializeAsync()
    {
        _a = await _host.WorkspaceWithScoreAsync("A");
        await _host.Client(_a.SecretKey).PutAsJsonAsync("/api/v1/scores/draft-only", LiveHost.Model);
        _anna = await _host.ContactAsync(_a, "anna", "anna@example.com", "Anna de Vries", "Rotterdam Logistics", "sam");
        await _host.EventsAsync(_a, "anna@example.com", "meeting.booked", "meeting.completed"); // 45, warm
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_feed_key_lists_published_scores_only()
    {
        var scores = await _host.Client(_a.FeedKey).GetJsonAsync("/api/v1/scores");

        Assert.Equal([LiveHost.ScoreId], scores.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(2, (await _host.Client(_a.SecretKey).GetJsonAsync("/api/v1/scores")).GetArrayLength());
    }

    [Fact]
    public async Task Records_carry_name_company_owner_and_last_touch_for_the_feed_key()
    {
        var records = await _host.Client(_a.FeedKey).GetJsonAsync($"/api/v1/scores/{LiveHost.ScoreId}/records?label=warm&sort=-score");

        var anna = Assert.Single(records.EnumerateArray());
        Assert.Equal(_anna, anna.GetProperty("contactId").GetString());
        Assert.Equal("Anna de Vries", anna.GetProperty("name").GetString());
        Assert.Equal("Rotterdam Logistics", anna.GetProperty("company").GetString());
        Assert.Equal("sam", anna.GetProperty("owner").GetString());
        Assert.Equal("anna@example.com", anna.GetProperty("email").GetString());
        Assert.Equal(45, anna.GetProperty("value").GetDouble());
        Assert.Equal(_host.App.Clock.GetUtcNow().AddMinutes(-1), anna.GetProperty("lastTouch").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_feed_key_reads_a_contacts_scores_and_history()
    {
        var client = _host.Client(_a.FeedKey);

        var scores = await client.GetJsonAsync($"/api/v1/contacts/{_anna}/scores");
        var history = await client.GetJsonAsync($"/api/v1/contacts/{_anna}/scores/{LiveHost.ScoreId}/history");

        Assert.Equal(45, Assert.Single(scores.EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Equal(45, history.EnumerateArray().Last().GetProperty("newValue").GetDouble());
    }

    [Fact]
    public async Task The_feed_key_writes_nothing()
    {
        var client = _host.Client(_a.FeedKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostEventsAsync(Api.Event("x1", new { email = "x@example.com" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/api/v1/contacts/x", new { email = "x@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/v1/scores/{LiveHost.ScoreId}", LiveHost.Model)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/scores/{LiveHost.ScoreId}/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/v1/scores/{LiveHost.ScoreId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Single((await _host.Client(_a.SecretKey).GetJsonAsync("/api/v1/contacts")).EnumerateArray());
    }

    [Fact]
    public async Task Another_workspaces_feed_key_sees_none_of_its_leads()
    {
        var b = await _host.WorkspaceWithScoreAsync("B");
        var client = _host.Client(b.FeedKey);

        Assert.Empty((await client.GetJsonAsync($"/api/v1/scores/{LiveHost.ScoreId}/records")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/contacts/{_anna}/scores")).StatusCode);
    }
}
