using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>
/// Every endpoint that takes a body, against every item of the bad-input corpus: a 4xx problem, never a 5xx, and
/// nothing stored. One host for the whole class; the cases run one after another.
/// </summary>
public sealed class CorpusTests(BadInputHost host) : IClassFixture<BadInputHost>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var target in CorpusTargets.All)
        {
            foreach (var item in Corpus.Items.Where(i => i.Body(target) is not null))
            {
                cases.Add(target.Name, item.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_answered_with_a_problem_and_nothing_is_stored(string endpoint, string item)
    {
        var target = CorpusTargets.Find(endpoint);
        var corpusItem = Corpus.Item(item);
        var before = host.Stored();

        using var response = await SendAsync(target, corpusItem);

        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{target.Method} {target.Route} ({endpoint}) with {item}: {status} {Shorten(text)}";
        Assert.True(status < 500, what);
        if (IsValidWithoutKnownFields(target, corpusItem) && status is >= 200 and < 300)
        {
            return;
        }

        if (target.Answer == Answer.IgnoresBody)
        {
            Assert.True(status == 200, what);
        }
        else
        {
            Assert.True(status is >= 400 and < 500, what);
            if (target.Status is { } expected)
            {
                Assert.True(status == expected, $"expected {expected}: {what}");
            }

            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"not problem details: {what}");
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String, $"no title: {what}");
            Assert.True(problem.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status, $"no status: {what}");
        }

        Assert.Equal(before, host.Stored());
        Assert.DoesNotContain(response.Headers, h => h.Key.Contains("injected", StringComparison.OrdinalIgnoreCase) ||
            h.Value.Any(v => v.Contains('\n', StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Injection_strings_in_free_text_are_stored_verbatim_as_data()
    {
        var properties = Corpus.InjectionStrings.Select((s, i) => (Name: $"p{i}", Value: s)).ToDictionary(p => p.Name, p => p.Value);
        var before = host.Stored();

        var response = await host.Client(host.Ws.IngestKey).PostAsync("/api/v1/events", new StringContent(
            JsonSerializer.Serialize(new
            {
                events = new[] { new { id = Corpus.InjectionStrings[0], type = "email.opened",
                occurredAt = "2026-03-01T10:00:00Z", contact = new { externalId = Corpus.InjectionStrings[4] }, properties } }
            }),
            System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contactId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0].GetProperty("contactId").GetString();
        var events = await host.Client(host.Ws.SecretKey).GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}/events");
        var stored = Assert.Single(events.EnumerateArray());
        Assert.Equal(Corpus.InjectionStrings[0], stored.GetProperty("id").GetString());
        Assert.Equal(properties, stored.GetProperty("properties").Deserialize<Dictionary<string, string>>());
        Assert.Equal(before["ledger.events"] + 1, host.Stored()["ledger.events"]);
    }

    [Fact]
    public void Every_endpoint_that_takes_a_body_is_in_the_corpus_table()
    {
        var registered = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Where(e => e.Split(' ')[0] is "POST" or "PUT" or "PATCH" or "*")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var covered = CorpusTargets.All.Select(t => $"{t.Method} {t.Route}").Concat(CorpusTargets.Excluded.Keys).ToHashSet();

        var missing = registered.Where(e => !covered.Contains(e)).ToList();
        var stale = covered.Where(e => !registered.Contains(e)).ToList();

        Assert.True(missing.Count == 0,
            $"These endpoints take a body but are not in the bad-input corpus: {string.Join(", ", missing)}. " +
            "Add each to the corpus table (tests/ScoreHub.Host.Tests/BadInput/CorpusTargets.cs: a target with a valid key, " +
            "route values and signature) or to CorpusTargets.Excluded with the reason.");
        Assert.True(stale.Count == 0, $"The corpus table names endpoints the host no longer has: {string.Join(", ", stale)}.");
    }

    private async Task<HttpResponseMessage> SendAsync(CorpusTarget target, CorpusItem item)
    {
        var key = target.Key switch
        {
            CorpusTargets.Admin => Support.ScoreHubApp.AdminKey,
            CorpusTargets.Secret => host.Ws.SecretKey,
            _ => host.Ws.IngestKey,
        };
        using var request = new HttpRequestMessage(new HttpMethod(target.Method == "*" ? "POST" : target.Method), target.Path(host));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var body = item.Body(target)!;
        if (target.Sign is { } sign)
        {
            body = sign(host, request, body);
        }

        HttpContent content = item.Chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(item.ContentType);
        if (item.ContentEncoding is { } encoding)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        if (item.Chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        request.Content = content;
        return await host.Client().SendAsync(request);
    }

    private static bool IsValidWithoutKnownFields(CorpusTarget target, CorpusItem item)
    {
        if (target.KnownFields is not { } known)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(item.Body(target));
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                !document.RootElement.EnumerateObject().Any(p => known.Contains(p.Name));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length > 600 ? text[..600] + "..." : text;
}
