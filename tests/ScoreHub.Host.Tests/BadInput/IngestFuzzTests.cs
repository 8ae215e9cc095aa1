using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>
/// Property-based fuzzing of the canonical ingest <c>POST /api/v1/events</c> with batches mixing valid events and
/// events with random JSON in any field. A failure prints CsCheck's seed; pass it as <c>seed:</c> to reproduce.
/// </summary>
public sealed partial class IngestFuzzTests(BadInputHost host) : IClassFixture<BadInputHost>
{
    private const int Iterations = 200;

    private static readonly string[] Types = ["email.opened", "email.clicked", "web.page_viewed", "meeting.booked", "tag.added", "a_1.b_2.c_3"];

    private static readonly string[] Fields = ["id", "type", "occurredAt", "contact", "properties", "contactProperties", "company"];

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Property values any event may carry: injection strings and all, but no lone surrogates and at most 8,192 characters.</summary>
    private static readonly Gen<object?> SafeText = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 30],
        Gen.OneOfConst(FuzzJson.Strings.Where(s => s.Length <= 8_192 && !s.Any(char.IsSurrogate)).ToArray()))
        .Select(s => (object?)s);

    /// <summary>An event the documented rules accept.</summary>
    private static readonly Gen<object?> ValidEvent =
        from id in Gen.String[Gen.Char.AlphaNumeric, 1, 16]
        from type in Gen.OneOfConst(Types)
        from minutesAgo in Gen.Int[-60 * 23, 60 * 24 * 365 * 20]
        from offset in Gen.Int[-12, 14]
        from person in Gen.Int[0, 30]
        from identity in Gen.Int[0, 2]
        from properties in Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 20], Gen.OneOf(SafeText, FuzzJson.Number, Gen.Bool.Select(b => (object?)b), FuzzJson.Null)).List[0, 5]
        select (object?)new JObj()
            .Add("id", "fz-" + id)
            .Add("type", type)
            .Add("occurredAt", Now.AddMinutes(-minutesAgo).ToOffset(TimeSpan.FromHours(offset)).ToString("O", CultureInfo.InvariantCulture))
            .Add("contact", identity switch
            {
                0 => new JObj().Add("email", $"p{person}@example.com"),
                1 => new JObj().Add("externalId", $"crm-{person}"),
                _ => new JObj().Add("anonymousId", $"anon-{person}").Add("email", $"p{person}@example.com"),
            })
            .Add("properties", FuzzJson.ToObj(properties));

    /// <summary>A valid event with some fields dropped, retyped or replaced by random JSON, and random extra fields.</summary>
    private static readonly Gen<object?> MutatedEvent =
        from valid in ValidEvent
        from choices in Gen.Int[0, 9].Array[7]
        from randoms in FuzzJson.Value(2).Array[7]
        from dates in Gen.OneOfConst("2026-13-45", "yesterday", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1999-12-31T23:59:59Z",
            "2026-03-04T09:00:00Z", "2026-03-01T10:00:00", "2026-03-01", "2026-03-01T10:00:00+25:00", "2026-03-01T10:00:00-00:00")
        from extra in FuzzJson.Map(0, 3)
        from properties in FuzzJson.Map(0, 110)
        select (object?)Mutate((JObj)valid!, choices, randoms, dates, (JObj)extra!, (JObj)properties!);

    private static readonly Gen<object?> AnyItem = Gen.Frequency((4, ValidEvent), (3, MutatedEvent), (1, FuzzJson.Value(2)));

    private static readonly Gen<(string Body, int Count, bool AllValid)> Batch =
        from valid in Gen.Bool
        from items in ValidEvent.List[1, 6]
        from mixed in AnyItem.List[0, 6]
        from bare in Gen.Int[0, 3]
        let all = valid ? items : [.. items, .. mixed]
        select (bare == 0 ? FuzzJson.Write(FuzzJson.ToArr(all)) : FuzzJson.Write(new JObj().Add("events", FuzzJson.ToArr(all))),
            all.Count, valid);

    [Fact]
    public async Task A_batch_is_stored_whole_or_rejected_naming_its_items_and_never_answers_5xx()
    {
        await Batch.SampleAsync(CheckAsync, iter: Iterations, threads: 1, print: b => b.Body);
    }

    private async Task CheckAsync((string Body, int Count, bool AllValid) batch)
    {
        var client = host.Client(host.Ws.IngestKey);
        var before = host.Stored();
        using var response = await client.PostAsync("/api/v1/events", new StringContent(batch.Body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{(int)response.StatusCode} {text}";
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        if (response.StatusCode == HttpStatusCode.OK)
        {
            var results = root.GetProperty("results").EnumerateArray().ToList();
            Assert.True(results.Count == batch.Count, what);
            Assert.All(results, r => Assert.True(r.GetProperty("status").GetString() is "stored" or "duplicate", what));
            var stored = results.Count(r => r.GetProperty("status").GetString() == "stored");
            Assert.True(host.Stored()["ledger.events"] == before["ledger.events"] + stored, what);
            var secret = host.Client(host.Ws.SecretKey);
            foreach (var result in results)
            {
                // Compared as parsed ids: the API may escape a quote or an apostrophe differently than a serializer here.
                var events = await secret.GetJsonAsync($"/api/v1/contacts/{Uri.EscapeDataString(result.GetProperty("contactId").GetString()!)}/events");
                Assert.Contains(result.GetProperty("id").GetString(), events.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
            }

            return;
        }

        Assert.False(batch.AllValid, $"a batch of valid events was refused: {what}");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var names = root.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name =>
        {
            var match = ItemPath().Match(name);
            Assert.True(match.Success, $"'{name}' does not name events[i]: {what}");
            if (match.Groups[1].Success)
            {
                Assert.True(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) < batch.Count, $"'{name}' is past the batch: {what}");
            }
        });
        Assert.Equal(before, host.Stored());
    }

    private static JObj Mutate(JObj valid, int[] choices, object?[] randoms, string date, JObj extra, JObj properties)
    {
        var result = new JObj();
        for (var i = 0; i < Fields.Length; i++)
        {
            var name = Fields[i];
            switch (choices[i])
            {
                case 0:
                    break; // dropped
                case 1:
                case 2:
                    result.Add(name, randoms[i]);
                    break;
                case 3 when name == "occurredAt":
                    result.Add(name, date);
                    break;
                case 3 when name is "properties" or "contactProperties":
                    result.Add(name, properties);
                    break;
                case 3 when name == "company":
                    result.Add(name, new JObj().Add("id", randoms[i]).Add("properties", properties));
                    break;
                case 3 when name == "contact":
                    result.Add(name, new JObj().Add("email", randoms[i]).Add("externalId", randoms[(i + 1) % randoms.Length]));
                    break;
                default:
                    if (valid[name] is { } value || name is "id" or "type" or "occurredAt" or "contact")
                    {
                        result.Add(name, valid[name]);
                    }

                    break;
            }
        }

        result.AddRange(extra);
        return result;
    }

    // Singleline: a generated property name may hold a line break.
    [GeneratedRegex(@"^events(?:\[(\d+)\](?:[.\[].+)?)?$", RegexOptions.Singleline)]
    private static partial Regex ItemPath();
}
