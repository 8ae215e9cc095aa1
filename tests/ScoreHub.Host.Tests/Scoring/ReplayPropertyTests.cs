using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Scoring;

/// <summary>
/// Generated journeys ingested live through the API, then the host restarted on the same data directory at the same
/// instant: replaying the ledger must reproduce every contact, every score and every record exactly, and publishing
/// the same models again must give the same values (retroactive = live).
/// </summary>
/// <remarks>
/// Each sample is a batch of journeys, one workspace each, run one after the other in one host (so two host starts
/// per sample, not per journey). The clock moves only forward; later journeys keep earlier workspaces decaying,
/// which exercises the scheduled re-evaluations too. On failure CsCheck prints the smallest failing batch and the
/// seed; pass it as <c>seed:</c> to <see cref="Check.SampleAsync{T}(Gen{T}, Func{T, Task}, Action{string}?, string?, long, int, int, Func{T, string}?, ILogger?)"/> (or set CsCheck_Seed) to reproduce.
/// </remarks>
public sealed class ReplayPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] EventTypes =
        ["meeting.booked", "email.opened", "page.viewed", "form.submitted", "careers.viewed", "webinar.attended"];

    private static readonly string[] Urls = ["/pricing", "/blog/lead-scoring", "/pricing/enterprise", "/"];
    private static readonly string?[] Cities = ["Rotterdam", "Utrecht", "Delft", null];

    /// <summary>Combined score: per-rule and group decay (linear, expiry), a timeframe, atLeast/within, limits, a floor-less negative, an exclusion.</summary>
    private const string CombinedModel = """
        { "name": "Fit and engagement", "kind": "combined", "limit": 100,
          "groups": [
            { "name": "Engagement", "limit": 40, "decay": { "percent": 25, "every": "2 weeks" }, "rules": [
              { "event": "meeting.booked", "points": 10 },
              { "event": "email.opened", "points": 2, "max": 12, "decay": { "percent": 50, "every": "1 month" } },
              { "event": "page.viewed", "points": 3, "timeframe": "30 days", "where": { "url": { "contains": "/pricing" } } },
              { "event": "form.submitted", "points": 15, "atLeast": 2, "within": "2 weeks" },
              { "event": "careers.viewed", "points": -5 },
              { "event": "webinar.attended", "points": 8, "decay": { "type": "expire", "every": "3 weeks" } } ] },
            { "name": "Fit", "limit": 30, "rules": [
              { "property": "employees", "op": "gte", "value": 100, "points": 20 },
              { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 } ] } ],
          "fitThresholds": [ { "label": "C", "below": 10 }, { "label": "B", "below": 20 }, { "label": "A" } ],
          "engagementThresholds": [ { "label": "3", "below": 15 }, { "label": "2", "below": 30 }, { "label": "1" } ],
          "exclude": { "property": "isCompetitor", "op": "eq", "value": true } }
        """;

    /// <summary>Engagement score: half-life decay, a weekly timeframe with a max, atLeast without a window, a floor and cold/warm/hot.</summary>
    private const string EngagementModel = """
        { "name": "Engagement", "kind": "engagement", "limit": 60, "floor": 0,
          "groups": [
            { "name": "Activity", "limit": 50, "decay": { "type": "halfLife", "every": "10 days" }, "rules": [
              { "event": "email.opened", "points": 4 },
              { "event": "page.viewed", "points": 6, "timeframe": "1 week", "max": 18 },
              { "event": "webinar.attended", "points": 12 },
              { "event": "meeting.booked", "points": 10, "atLeast": 2 } ] },
            { "name": "Signals", "rules": [
              { "event": "careers.viewed", "points": -8, "decay": { "percent": 100, "every": "3 weeks" } },
              { "property": "city", "op": "eq", "value": "Delft", "points": 5 } ] } ],
          "thresholds": [ { "label": "cold", "below": 15 }, { "label": "warm", "below": 35 }, { "label": "hot" } ] }
        """;

    // Whether the published projection (GET /scores/{id}/records) is exact at any instant. A half-life value changes
    // continuously and the host re-evaluates it only at period boundaries (the plugin's documented NextChangeAt), so
    // its records lag by up to one period and are compared only through the contacts' scores, computed at read time.
    private static readonly (string Id, string Model, bool ExactRecords)[] Models =
        [("fit-engagement", CombinedModel, true), ("engagement", EngagementModel, false)];

    /// <summary>True until the merged-contact bug (skipped test below) is fixed in the host.</summary>
    private const bool IgnoreRecordsOfMergedContacts = false;

    private static readonly Gen<EventSpec> GenEvent =
        from type in Gen.OneOfConst(EventTypes)
        from minutesAgo in Gen.OneOf(Gen.Int[0, 60], Gen.Int[0, 60 * 24 * 45])
        from url in Gen.OneOfConst(Urls)
        select new EventSpec(type, minutesAgo, type == "page.viewed" ? url : null);

    private static readonly Gen<Step> GenPost =
        from persona in Gen.Int[0, 2]
        from identity in Gen.Enum<Identity>()
        from events in GenEvent.Array[1, 3]
        from city in Gen.Int[0, 7]
        from resend in Gen.Int[0, 9]
        select (Step)new Post(persona, identity, events, city < Cities.Length ? Cities[city] : null, Resend: resend == 0);

    private static readonly Gen<Step> GenPut =
        from persona in Gen.Int[0, 2]
        from city in Gen.OneOfConst(Cities)
        from employees in Gen.OneOf(Gen.Const(default(int?)), Gen.Int[20, 400].Select(e => (int?)e))
        from competitor in Gen.Int[0, 5]
        select (Step)new Put(persona, city, employees, competitor switch { 0 => true, 1 => false, _ => null });

    // From an hour to three weeks: crosses linear steps (2 weeks, 1 month), expiry (3 weeks), timeframes (1 week,
    // 30 days), atLeast windows (2 weeks) and half-life periods (10 days).
    private static readonly Gen<Step> GenAdvance = Gen.OneOf(Gen.Int[1, 48], Gen.Int[48, 24 * 21]).Select(h => (Step)new Advance(h));

    private static readonly Gen<Journey> GenJourney =
        from steps in Gen.Frequency((4, GenPost), (2, GenPut), (3, GenAdvance)).Array[3, 12]
        from publishAt in Gen.Int[0, 12]
        select new Journey(steps, Math.Min(publishAt, steps.Length));

    [Fact]
    public async Task Restarting_on_the_same_data_reproduces_every_live_score_and_publishing_again_changes_no_value()
    {
        // 3 samples of 8 journeys: 24 generated journeys, 6 host starts. SCOREHUB_REPLAY_SAMPLES=50 searches deeper.
        var samples = int.TryParse(Environment.GetEnvironmentVariable("SCOREHUB_REPLAY_SAMPLES"), CultureInfo.InvariantCulture, out var n) ? n : 3;
        await GenJourney.Array[8].SampleAsync(RunAsync, iter: samples, threads: 1, print: Describe);
    }

    // Found by the property above when its events may be dated up to a day ahead (the API accepts that): the
    // evaluator ignores an event until its instant but reports no NextChangeAt for it, so the live projection keeps
    // the old value when that instant passes, while a restart (or any read) counts the event.
    [Fact]
    public async Task A_future_dated_event_moves_the_published_record_when_its_instant_passes()
    {
        using var app = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty);
        app.Clock.SetUtcNow(T0);
        var ws = await app.CreateWorkspaceAsync();
        var client = app.Client(ws.SecretKey);
        await PublishAsync(client);
        var meeting = new
        {
            id = "m1",
            type = "meeting.booked",
            occurredAt = T0.AddHours(2).ToString("O", CultureInfo.InvariantCulture),
            contact = new { email = "ann@example.com" },
            properties = new { },
        };
        // In Rotterdam, so the fit part is 0 and the value is the engagement part alone.
        Assert.True((await client.PutAsJsonAsync("/api/v1/contacts/email:ann@example.com", new { properties = new { city = "Rotterdam" } })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/events", new { events = new[] { meeting } })).StatusCode);
        Assert.Equal(0, Assert.Single((await client.GetJsonAsync("/api/v1/scores/fit-engagement/records")).EnumerateArray()).GetProperty("value").GetDouble());

        app.Clock.Advance(TimeSpan.FromHours(3));

        var contact = await client.GetJsonAsync("/api/v1/contacts/email:ann@example.com/scores");
        Assert.Equal(10, contact.EnumerateArray().Single(s => s.GetProperty("scoreId").GetString() == "fit-engagement").GetProperty("value").GetDouble());
        Assert.Equal(10, Assert.Single((await client.GetJsonAsync("/api/v1/scores/fit-engagement/records")).EnumerateArray()).GetProperty("value").GetDouble());
    }

    // Found by the property above: after a merge the merged-away contact's evaluation stays in the live projection,
    // and the records endpoint resolves it to the survivor, so the survivor is listed twice (once with a stale value),
    // or listed with the stale value although the survivor itself is excluded (seed 0003FntFQCp1, journey 6).
    // A restart rebuilds the projection from unmerged contacts only, so live and replayed records differ.
    [Fact]
    public async Task A_contact_merged_after_publish_is_listed_once_in_the_records()
    {
        using var app = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty);
        app.Clock.SetUtcNow(T0);
        var ws = await app.CreateWorkspaceAsync();
        var client = app.Client(ws.SecretKey);
        await PublishAsync(client);
        var at = T0.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        object Event(string id, object contact) => new { id, type = "meeting.booked", occurredAt = at, contact, properties = new { } };

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/events", new { events = new[] { Event("e1", new { email = "ann@example.com" }) } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/events", new { events = new[] { Event("e2", new { anonymousId = "anon-1" }) } })).StatusCode);
        Assert.Equal(2, (await client.GetJsonAsync("/api/v1/scores/fit-engagement/records")).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/events", new { events = new[] { Event("e3", new { email = "ann@example.com", anonymousId = "anon-1" }) } })).StatusCode);

        var contact = Assert.Single((await client.GetJsonAsync("/api/v1/contacts")).EnumerateArray());
        var record = Assert.Single((await client.GetJsonAsync("/api/v1/scores/fit-engagement/records")).EnumerateArray());
        Assert.Equal(contact.GetProperty("id").GetString(), record.GetProperty("contactId").GetString());
    }

    private static async Task RunAsync(Journey[] journeys)
    {
        var live = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty) { KeepDataDirectory = true };
        var workspaces = new List<TestWorkspace>();
        var merged = new List<HashSet<string>>();
        Dictionary<string, Snapshot> before;
        DateTimeOffset end;
        try
        {
            live.Clock.SetUtcNow(T0);
            for (var j = 0; j < journeys.Length; j++)
            {
                var ws = await live.CreateWorkspaceAsync("Journey " + j.ToString(CultureInfo.InvariantCulture));
                workspaces.Add(ws);
                merged.Add(await PlayAsync(live, live.Client(ws.SecretKey), j, journeys[j]));
            }

            end = live.Clock.GetUtcNow();
            before = await SnapshotAllAsync(live, workspaces);
        }
        finally
        {
            live.Dispose();
        }

        using var restarted = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty, dataDirectory: live.DataDirectory);
        restarted.Clock.SetUtcNow(end);
        var after = await SnapshotAllAsync(restarted, workspaces);
        for (var j = 0; j < workspaces.Count; j++)
        {
            before[workspaces[j].Id].AssertSame(after[workspaces[j].Id], $"journey {j} after a restart", ignoreVersion: false, merged[j]);
        }

        foreach (var ws in workspaces)
        {
            await PublishAsync(restarted.Client(ws.SecretKey));
        }

        var republished = await SnapshotAllAsync(restarted, workspaces);
        for (var j = 0; j < workspaces.Count; j++)
        {
            before[workspaces[j].Id].AssertSame(republished[workspaces[j].Id], $"journey {j} published again", ignoreVersion: true, merged[j]);
        }
    }

    /// <summary>Plays the journey; returns the emails of the contacts that absorbed another contact (a merge).</summary>
    private static async Task<HashSet<string>> PlayAsync(ScoreHubApp app, HttpClient client, int journey, Journey plan)
    {
        var next = 0;
        // Per persona: a contact known only by the anonymous id, one known by the email, both linked in one contact.
        var anonymous = new HashSet<int>();
        var byEmail = new HashSet<int>();
        var linked = new HashSet<int>();
        var merged = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i <= plan.Steps.Length; i++)
        {
            if (i == plan.PublishAt)
            {
                await PublishAsync(client);
            }

            if (i == plan.Steps.Length)
            {
                break;
            }

            switch (plan.Steps[i])
            {
                case Post post:
                    var now = app.Clock.GetUtcNow();
                    var events = post.Events.Select(e => EventJson($"e{next++}", journey, post, e, now)).ToList();
                    var response = await client.PostAsJsonAsync("/api/v1/events", new { events });
                    Track(post);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    if (post.Resend)
                    {
                        // A source's retry: the same batch again, deduplicated on the events' ids.
                        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/events", new { events })).StatusCode);
                    }

                    break;

                case Put put:
                    byEmail.Add(put.Persona);
                    var properties = new Dictionary<string, object?>
                    {
                        ["city"] = put.City,
                        ["employees"] = put.Employees,
                    };
                    if (put.Competitor is { } competitor)
                    {
                        properties["isCompetitor"] = competitor;
                    }

                    var upsert = await client.PutAsJsonAsync($"/api/v1/contacts/email:{Email(journey, put.Persona)}", new { properties });
                    Assert.True(upsert.IsSuccessStatusCode, $"PUT contact returned {(int)upsert.StatusCode}: {await upsert.Content.ReadAsStringAsync()}");
                    break;

                case Advance advance:
                    app.Clock.Advance(TimeSpan.FromHours(advance.Hours));
                    break;
            }
        }

        return merged;

        void Track(Post post)
        {
            if (linked.Contains(post.Persona))
            {
                return;
            }

            switch (post.Identity)
            {
                case Identity.Anonymous:
                    anonymous.Add(post.Persona);
                    break;
                case Identity.Email:
                    byEmail.Add(post.Persona);
                    break;
                case Identity.Both:
                    if (anonymous.Contains(post.Persona) && byEmail.Contains(post.Persona))
                    {
                        merged.Add(Email(journey, post.Persona));
                    }

                    linked.Add(post.Persona);
                    break;
            }
        }
    }

    private static object EventJson(string id, int journey, Post post, EventSpec e, DateTimeOffset now)
    {
        var contact = new Dictionary<string, string>();
        if (post.Identity is Identity.Email or Identity.Both)
        {
            contact["email"] = Email(journey, post.Persona);
        }

        if (post.Identity is Identity.Anonymous or Identity.Both)
        {
            contact["anonymousId"] = $"anon-{journey}-{post.Persona}";
        }

        var properties = e.Url is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["url"] = "https://acme.example" + e.Url };
        var contactProperties = post.City is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["city"] = post.City };
        return new
        {
            id,
            type = e.Type,
            occurredAt = now.AddMinutes(-e.MinutesAgo).ToString("O", CultureInfo.InvariantCulture),
            contact,
            properties,
            contactProperties,
        };
    }

    private static async Task PublishAsync(HttpClient client)
    {
        foreach (var (id, model, _) in Models)
        {
            using var body = new StringContent(model, Encoding.UTF8, "application/json");
            var saved = await client.PutAsync($"/api/v1/scores/{id}", body);
            Assert.True(saved.IsSuccessStatusCode, $"PUT score {id} returned {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
            // 200 only once every record is re-evaluated (202 would mean still running).
            var published = await client.PostAsync($"/api/v1/scores/{id}/publish?wait=60", null);
            Assert.True(published.StatusCode == HttpStatusCode.OK, $"publish {id} returned {(int)published.StatusCode}: {await published.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<Dictionary<string, Snapshot>> SnapshotAllAsync(ScoreHubApp app, List<TestWorkspace> workspaces)
    {
        var snapshots = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
        foreach (var ws in workspaces)
        {
            var client = app.Client(ws.SecretKey);
            var contacts = await client.GetJsonAsync("/api/v1/contacts?limit=1000");
            var scores = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var contact in contacts.EnumerateArray())
            {
                var id = contact.GetProperty("id").GetString()!;
                scores[id] = (await client.GetJsonAsync($"/api/v1/contacts/{id}/scores")).GetRawText();
            }

            var records = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (id, _, _) in Models.Where(m => m.ExactRecords))
            {
                // The published projection: kept up to date live by events and timers, rebuilt by re-evaluation.
                records[id] = (await client.GetJsonAsync($"/api/v1/scores/{id}/records?limit=1000")).GetRawText();
            }

            snapshots[ws.Id] = new Snapshot(contacts.GetRawText(), scores, records);
        }

        return snapshots;
    }

    private static string Email(int journey, int persona) => $"p{persona}.j{journey}@example.com";

    private static string Describe(Journey[] journeys) =>
        string.Join("\n", journeys.Select((j, i) => $"journey {i} (publish before step {j.PublishAt}): " + string.Join("; ", j.Steps.Select(s => s switch
        {
            Post p => $"post p{p.Persona}/{p.Identity}{(p.City is null ? "" : "/city=" + p.City)}{(p.Resend ? "/twice" : "")} [" +
                      string.Join(", ", p.Events.Select(e => $"{e.Type}{e.Url} -{e.MinutesAgo}m")) + "]",
            Put p => $"put p{p.Persona} city={p.City ?? "null"} employees={p.Employees?.ToString(CultureInfo.InvariantCulture) ?? "null"} competitor={p.Competitor}",
            Advance a => $"+{a.Hours}h",
            _ => s.ToString(),
        }))));

    internal enum Identity
    {
        Email,
        Anonymous,
        Both,
    }

    internal abstract record Step;

    internal sealed record Post(int Persona, Identity Identity, EventSpec[] Events, string? City, bool Resend) : Step;

    internal sealed record Put(int Persona, string? City, int? Employees, bool? Competitor) : Step;

    internal sealed record Advance(int Hours) : Step;

    internal sealed record EventSpec(string Type, int MinutesAgo, string? Url);

    internal sealed record Journey(Step[] Steps, int PublishAt);

    private sealed record Snapshot(string Contacts, SortedDictionary<string, string> Scores, SortedDictionary<string, string> Records)
    {
        public void AssertSame(Snapshot other, string what, bool ignoreVersion, HashSet<string> mergedEmails)
        {
            Assert.True(Contacts == other.Contacts, $"{what}: contacts differ\nlive:     {Contacts}\nreplayed: {other.Contacts}");
            Assert.Equal(Scores.Keys, other.Scores.Keys);
            foreach (var (id, live) in Scores)
            {
                var expected = ignoreVersion ? WithoutVersion(live) : live;
                var actual = ignoreVersion ? WithoutVersion(other.Scores[id]) : other.Scores[id];
                Assert.True(expected == actual, $"{what}: scores of contact {id} differ\nlive:     {expected}\nreplayed: {actual}");
            }

            foreach (var (id, records) in Records)
            {
                var (live, replayed) = IgnoreRecordsOfMergedContacts ? Without(mergedEmails, records, other.Records[id]) : (records, other.Records[id]);
                Assert.True(live == replayed, $"{what}: records of score {id} differ\nlive:     {live}\nreplayed: {replayed}");
            }
        }

        // Drops, from both lists, the contacts that absorbed a merge (see the skipped test above); their values are
        // still compared through GET /contacts/{id}/scores.
        private static (string Live, string Replayed) Without(HashSet<string> emails, string live, string replayed)
        {
            string Keep(string rows) => new JsonArray([.. JsonNode.Parse(rows)!.AsArray()
                .Where(r => r!["email"]?.GetValue<string>() is not { } email || !emails.Contains(email)).Select(r => r!.DeepClone())]).ToJsonString();
            return (Keep(live), Keep(replayed));
        }

        private static string WithoutVersion(string scores)
        {
            var array = JsonNode.Parse(scores)!.AsArray();
            foreach (var score in array)
            {
                score!.AsObject().Remove("version");
            }

            return array.ToJsonString();
        }
    }
}
