using System.Net;
using System.Net.Http.Json;
using System.Text;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Workspaces;

public sealed class TenancyAndAuthTests : IAsyncLifetime, IDisposable
{
    private readonly ScoreHubApp _app = new();
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
    public async Task A_request_without_a_key_is_401()
    {
        var response = await _app.Client().GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Posting_events_without_a_key_is_401_and_stores_nothing()
    {
        var response = await _app.Client().PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await _app.Client(_a.SecretKey).GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        var response = await _app.Client("shk_secret_not-a-real-key").GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_secret_key_cannot_read_another_workspaces_contact()
    {
        var posted = await (await _app.Client(_b.SecretKey).PostEventsAsync(Api.Event("e-1", new { email = "b@example.com" }))).JsonAsync();
        var contactId = posted.GetProperty("results")[0].GetProperty("contactId").GetString()!;
        var a = _app.Client(_a.SecretKey);

        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/v1/contacts/{contactId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/v1/contacts/{contactId}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("/api/v1/contacts/email:b@example.com")).StatusCode);
        Assert.Equal(0, (await a.GetJsonAsync("/api/v1/contacts")).GetArrayLength());
        Assert.Equal(0, (await a.GetJsonAsync("/api/v1/contacts?email=b@example.com")).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await _app.Client(_b.SecretKey).GetAsync($"/api/v1/contacts/{contactId}")).StatusCode);
    }

    [Fact]
    public async Task The_same_event_id_in_two_workspaces_is_two_events()
    {
        var inA = await (await _app.Client(_a.IngestKey).PostEventsAsync(Api.Event("e-1", new { email = "x@example.com" }))).JsonAsync();
        var inB = await (await _app.Client(_b.IngestKey).PostEventsAsync(Api.Event("e-1", new { email = "x@example.com" }))).JsonAsync();

        Assert.Equal(["stored"], Api.Statuses(inA));
        Assert.Equal(["stored"], Api.Statuses(inB));
    }

    [Fact]
    public async Task An_ingest_key_cannot_read_contacts()
    {
        var client = _app.Client(_a.IngestKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/contacts/anyone/properties/history")).StatusCode);
    }

    [Fact]
    public async Task An_ingest_key_upserting_a_contact_learns_its_id_but_not_its_data()
    {
        await _app.Client(_a.SecretKey).PutAsJsonAsync("/api/v1/contacts/crm-7",
            new { email = "vip@example.com", properties = new { jobTitle = "CFO" } });

        var response = await _app.Client(_a.IngestKey).PutAsJsonAsync("/api/v1/contacts/crm-7", new { });
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["id"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("vip@example.com", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_key_cannot_post_events()
    {
        var response = await _app.Client(_a.FeedKey).PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, (await _app.Client(_a.SecretKey).GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task Only_the_admin_key_creates_workspaces()
    {
        var body = new { name = "C" };

        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(_a.SecretKey).PostAsJsonAsync("/api/v1/workspaces", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(_a.IngestKey).PostAsJsonAsync("/api/v1/workspaces", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client().PostAsJsonAsync("/api/v1/workspaces", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _app.Client(ScoreHubApp.AdminKey).PostAsJsonAsync("/api/v1/workspaces", body)).StatusCode);
    }

    [Fact]
    public async Task The_database_file_holds_no_raw_key()
    {
        _app.KeepDataDirectory = true;
        var keys = new[] { _a.SecretKey, _a.IngestKey, _a.FeedKey, _b.SecretKey, _b.IngestKey, _b.FeedKey };
        await _app.Client(_a.IngestKey).PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));
        _app.Dispose();
        try
        {
            var files = Directory.GetFiles(_app.DataDirectory, "*", SearchOption.AllDirectories);
            Assert.Contains(Path.Combine(_app.DataDirectory, "scorehub.db"), files);
            foreach (var file in files)
            {
                byte[] bytes;
                try
                {
                    bytes = await File.ReadAllBytesAsync(file);
                }
                catch (FileNotFoundException)
                {
                    continue; // a LiteDB log file checkpointed away while listing: its content is in the data file
                }

                foreach (var key in keys)
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) < 0, $"{Path.GetFileName(file)} contains a raw key");
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(key)) < 0, $"{Path.GetFileName(file)} contains a raw key (UTF-16)");
                }
            }
        }
        finally
        {
            Directory.Delete(_app.DataDirectory, recursive: true);
        }
    }
}
