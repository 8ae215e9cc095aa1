using System.Net;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

public sealed class ActivationTests : IAsyncLifetime, IDisposable
{
    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.TestPlugins);
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await _app.CreateWorkspaceAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Settings_the_plugin_rejects_are_a_400_naming_the_setting()
    {
        var response = await _app.ActivateAsync(_ws, "test.good", new { mode = "c" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["'mode' must be \"a\" or \"b\"."], errors.GetProperty("settings.mode").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _app.PostGoodAsync(_ws, "evt_1", "ada@example.com")).StatusCode);
    }

    [Fact]
    public async Task Missing_required_setting_is_a_400_naming_the_setting()
    {
        var response = await _app.ActivateAsync(_ws, "test.good", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["'mode' is required."], errors.GetProperty("settings.mode").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Activated_source_stores_events_and_deactivated_source_answers_404_without_a_restart()
    {
        var activated = await _app.ActivateAsync(_ws, "test.good", new { mode = "b" });
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var activation = (await activated.JsonAsync()).GetProperty("activation");
        Assert.True(activation.GetProperty("active").GetBoolean());
        Assert.Equal("healthy", activation.GetProperty("health").GetString());
        Assert.Equal("b", activation.GetProperty("settings").GetProperty("mode").GetString());

        var posted = await _app.PostGoodAsync(_ws, "evt_1", "ada@example.com");
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(1, (await posted.JsonAsync()).GetProperty("stored").GetInt32());
        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());

        var deactivated = await _app.Client(_ws.SecretKey).DeleteAsync("/api/v1/plugins/test.good/activation");
        Assert.Equal(HttpStatusCode.NoContent, deactivated.StatusCode);

        var afterwards = await _app.PostGoodAsync(_ws, "evt_2", "ada@example.com");
        Assert.Equal(HttpStatusCode.NotFound, afterwards.StatusCode);
        Assert.Equal(1, Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com")).GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public async Task Activation_in_one_workspace_does_not_open_the_source_in_another()
    {
        var other = await _app.CreateWorkspaceAsync("Other");
        await _app.ActivateOrFailAsync(_ws, "test.good", new { mode = "a" });

        var response = await _app.PostGoodAsync(other, "evt_1", "ada@example.com");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deactivating_a_plugin_that_is_not_active_is_a_404()
    {
        var response = await _app.Client(_ws.SecretKey).DeleteAsync("/api/v1/plugins/test.good/activation");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ingest_key_cannot_activate_a_plugin()
    {
        var response = await _app.Client(_ws.IngestKey).PutAsync("/api/v1/plugins/test.good/activation",
            new StringContent("""{"settings":{"mode":"a"}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
