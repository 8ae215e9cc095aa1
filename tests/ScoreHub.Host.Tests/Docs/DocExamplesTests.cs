using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Docs;

/// <summary>
/// The manual's curl examples work when copied: each page runs top to bottom against a fresh in-memory host with the
/// first-party plugins, its clock at the instant the examples are written for (see <see cref="DocExamples"/> for the
/// rules).
/// </summary>
public sealed class DocExamplesTests : IAsyncLifetime, IDisposable
{
    /// <summary>The examples' events happen on the morning of 2026-05-01.</summary>
    private static readonly DateTimeOffset ExamplesNow = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.FirstParty);
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _app.Clock.SetUtcNow(ExamplesNow);
        _ws = await _app.CreateWorkspaceAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    private Dictionary<string, string> Variables => new()
    {
        ["SH"] = "http://localhost",
        ["KEY"] = _ws.SecretKey,
        ["INGEST_KEY"] = _ws.IngestKey,
        ["ADMIN_KEY"] = ScoreHubApp.AdminKey,
        ["$(cat data/admin.key)"] = ScoreHubApp.AdminKey,
    };

    [Fact]
    public async Task Every_example_on_the_actions_page_works_and_its_trigger_really_delivers()
    {
        var skipped = await DocExamples.RunAsync("docs/actions.md", _app.Client(), Variables);

        Assert.Empty(skipped);
        // The outbox records a delivery a moment after the plugin answered: wait for both records to settle.
        string[] outcomes = [];
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(100))
        {
            var deliveries = await _app.Client(_ws.SecretKey).GetJsonAsync("/api/v1/actions/deliveries?trigger=became-hot");
            outcomes = [.. deliveries.EnumerateArray().Select(d => $"{d.GetProperty("plugin").GetString()}:{d.GetProperty("status").GetString()}").Order(StringComparer.Ordinal)];
            if (!outcomes.Any(o => o.EndsWith(":pending", StringComparison.Ordinal)))
            {
                break;
            }
        }

        Assert.Equal(["scorehub.alerts:delivered", "scorehub.owner:delivered"], outcomes);
        var contact = await _app.Client(_ws.SecretKey).GetJsonAsync("/api/v1/contacts/crm-4711");
        Assert.Equal("ann@example.com", contact.GetProperty("properties").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Every_example_on_the_api_page_works_except_the_four_that_need_a_plugin_package_or_the_sample_plugin()
    {
        var skipped = await DocExamples.RunAsync("docs/api.md", _app.Client(), Variables);

        Assert.True(skipped.Count == 4, "Examples not run:\n" + string.Join('\n', skipped));
    }

    [Fact]
    public void A_documented_answer_matches_when_every_shown_property_is_there_with_its_kind()
    {
        var documented = JsonDocument.Parse("""{ "id": "c_...", "tags": [{ "n": 1 }], "owner": null, "ok": true }""").RootElement;
        var differences = new List<string>();

        DocExamples.Compare(documented, JsonDocument.Parse("""{ "id": "c_1", "tags": [{ "n": 2, "x": 0 }], "owner": "ann", "ok": false, "more": 1 }""").RootElement, "$", differences);
        Assert.Empty(differences);

        DocExamples.Compare(documented, JsonDocument.Parse("""{ "id": 7, "tags": [], "ok": true }""").RootElement, "$", differences);
        Assert.Equal(["$.id is Number, documented as String", "$.tags is empty, documented with items", "$.owner is missing"], differences);
    }

    [Fact]
    public void A_curl_example_is_read_as_the_shell_reads_it()
    {
        var commands = Curl.Parse("""
            # a comment, with the reader's ' apostrophe
            curl -s -X PUT $SH/api/v1/contacts/crm-4711 -H "Authorization: Bearer $KEY" \
              -H 'Content-Type: application/json' -d '{ "email": "$not-a-variable" }'
            curl -s -u "$INGEST_KEY:" "$SH/v1/batch?x=1"   # trailing comment
            """, new Dictionary<string, string> { ["SH"] = "http://h", ["KEY"] = "k1", ["INGEST_KEY"] = "k2" });

        Assert.Equal(2, commands.Count);
        Assert.Equal("PUT http://h/api/v1/contacts/crm-4711", commands[0].ToString());
        Assert.Equal([("Authorization", "Bearer k1"), ("Content-Type", "application/json")], commands[0].Headers);
        Assert.Equal("""{ "email": "$not-a-variable" }""", commands[0].Body);
        Assert.Equal("GET http://h/v1/batch?x=1", commands[1].ToString());
        Assert.Equal("k2:", commands[1].BasicUser);
    }
}
