using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Events;

public sealed class IngestValidationTests : WorkspaceTest
{
    [Fact]
    public async Task A_batch_with_several_bad_items_names_every_error_in_one_response_and_stores_nothing()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new object[]
            {
                new { type = "email.opened", occurredAt = "2026-03-01T10:00:00Z", contact = new { email = "a@example.com" } },
                Api.Event("e-1", new { email = "b@example.com" }, type: "Email Opened"),
                new { id = "e-2", type = "email.opened", occurredAt = "2026-03-01T10:00:00", contact = new { email = "c@example.com" } },
                Api.Event("e-3", new { }),
                new { id = "e-4", type = "email.opened", occurredAt = "2026-03-01T10:00:00Z", contact = new { email = "d@example.com" }, properties = "nope" },
                Api.Event("e-5", new { email = "valid@example.com" }),
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(
            ["events[0].id", "events[1].type", "events[2].occurredAt", "events[3].contact", "events[4].properties"],
            Api.ErrorNames(problem));
        var errors = problem.GetProperty("errors");
        Assert.Equal("'id' is required.", errors.GetProperty("events[0].id")[0].GetString());
        Assert.Equal("'type' must be lower-case 'area.verb', e.g. 'email.opened'.", errors.GetProperty("events[1].type")[0].GetString());
        Assert.Equal(
            "'occurredAt' must be an ISO 8601 instant with a time zone, e.g. 2026-05-01T09:30:00Z.",
            errors.GetProperty("events[2].occurredAt")[0].GetString());
        Assert.Equal("'contact' needs at least one of email, externalId or anonymousId.", errors.GetProperty("events[3].contact")[0].GetString());
        Assert.Equal("'properties' must be an object.", errors.GetProperty("events[4].properties")[0].GetString());

        var contacts = await client.GetJsonAsync("/api/v1/contacts");
        Assert.Equal(0, contacts.GetArrayLength());
    }

    [Fact]
    public async Task A_batch_whose_only_errors_are_semantic_names_them_by_index_and_stores_nothing()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostEventsAsync(
            Api.Event("e-1", new { email = "a@example.com" }),
            Api.Event("e-2", new { email = "not-an-email" }),
            Api.Event("e-3", new { email = "c@example.com" }, at: new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(["events[1].contact.email", "events[2].occurredAt"], Api.ErrorNames(problem));
        Assert.Equal(0, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_bare_array_batch_is_named_by_its_item_in_the_key_and_the_message()
    {
        var client = App.Client(Ws.SecretKey);
        const string Batch = """
            [{"id":"ok-1","type":"email.opened","occurredAt":"2026-03-01T09:00:00Z","contact":{"email":"a@example.com"}},
             {"id":"bad-1","type":"email.opened","occurredAt":"2026-03-01T09:00:00Z","contact":{"email":"b@example.com"},"properties":{"x":"\ud800"}}]
            """;

        var response = await client.PostAsync("/api/v1/events", new StringContent(Batch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.JsonAsync()).GetProperty("errors").EnumerateObject());
        Assert.Equal("events[1].properties.x", error.Name);
        Assert.Equal("'events[1].properties.x' is not valid text: invalid UTF-8 or a lone surrogate escape.", error.Value[0].GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostAsync("/api/v1/events", new StringContent("{\"events\": [ {", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        Assert.StartsWith("The body is not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_a_413_problem()
    {
        var client = App.Client(Ws.SecretKey);
        var big = new string('x', 1_048_576);
        var response = await client.PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }, properties: new { big }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("Payload too large", problem.GetProperty("title").GetString());
        Assert.Equal(0, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task A_gzipped_body_that_expands_past_one_megabyte_is_a_413_problem()
    {
        var client = App.Client(Ws.SecretKey);
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            events = new[] { Api.Event("e-1", new { email = "a@example.com" }, properties: new { big = new string('x', 2_000_000) }) },
        });
        var response = await client.PostAsync("/api/v1/events", Gzip(json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_batch_of_1001_events_is_a_400_naming_events()
    {
        var client = App.Client(Ws.SecretKey);
        var events = Enumerable.Range(0, 1001).Select(i => Api.Event($"e-{i}", new { email = "a@example.com" })).ToArray();
        var response = await client.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(["events"], Api.ErrorNames(problem));
        Assert.Equal("A batch holds at most 1000 events; this one has 1001.", problem.GetProperty("errors").GetProperty("events")[0].GetString());
        Assert.Equal(0, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }

    [Fact]
    public async Task A_batch_of_1000_events_is_accepted()
    {
        var client = App.Client(Ws.SecretKey);
        var events = Enumerable.Range(0, 1000).Select(i => Api.Event($"e-{i}", new { email = "a@example.com" })).ToArray();
        var response = await client.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal(1000, result.GetProperty("stored").GetInt32());
    }

    [Fact]
    public async Task A_gzipped_body_is_accepted()
    {
        var client = App.Client(Ws.IngestKey);
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            events = new[] { Api.Event("e-1", new { email = "gz@example.com" }), Api.Event("e-2", new { email = "gz@example.com" }) },
        });
        var response = await client.PostAsync("/api/v1/events", Gzip(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(["stored", "stored"], Api.Statuses(result));
        var events = await App.Client(Ws.SecretKey).GetJsonAsync("/api/v1/contacts/email:gz@example.com/events");
        Assert.Equal(["e-1", "e-2"], events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_body_labelled_gzip_that_is_not_gzip_is_a_400_problem()
    {
        var client = App.Client(Ws.SecretKey);
        var content = new StringContent("{\"events\": []}", Encoding.UTF8, "application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await client.PostAsync("/api/v1/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static ByteArrayContent Gzip(byte[] json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(json);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
