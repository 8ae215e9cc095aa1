using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>
/// Property-based fuzzing of the score-model validator (<c>PUT /api/v1/scores/{id}</c>, the points strategy): mutated
/// models are either saved and then publish and evaluate without error, or refused with 400 naming fields that are in
/// the model. A failure prints CsCheck's seed; pass it as <c>seed:</c> to reproduce.
/// </summary>
public sealed class ScoreModelFuzzTests(BadInputHost host) : IClassFixture<BadInputHost>, IAsyncLifetime
{
    private const int Iterations = 200;

    private static readonly string[] Ops = ["eq", "neq", "contains", "gt", "gte", "lt", "lte", "in", "exists", "startsWith", "", "EQ"];

    private static readonly Gen<object?> Duration = Gen.OneOf(
        Gen.Select(Gen.Int[-2, 1_000_000], Gen.OneOfConst("day", "days", "weeks", "month", "months", "years", "fortnights"))
            .Select(t => (object?)$"{t.Item1} {t.Item2}"),
        FuzzJson.Value(1));

    /// <summary>One change to the tree: drop, duplicate or retype a member, or put in a number, duration, operator or deeper group.</summary>
    private static readonly Gen<Func<object?, object?>> Mutation =
        from kind in Gen.Int[0, 7]
        from pick in Gen.Int[0, int.MaxValue]
        from value in FuzzJson.Value(2)
        from number in FuzzJson.Number
        from duration in Duration
        from op in Gen.OneOfConst(Ops)
        from depth in Gen.Int[1, 40]
        select (Func<object?, object?>)(model => Apply(model, kind, pick, value, number, duration, op, depth));

    private static readonly Gen<(string Json, object? Model)> Models =
        from mutations in Mutation.Array[1, 4]
        select Build(mutations);

    private int _iteration;

    public async Task InitializeAsync()
    {
        var ingest = host.Client(host.Ws.IngestKey);
        var at = new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero);
        var response = await ingest.PostEventsAsync(
            Api.Event("fuzz-1", new { email = "fuzz@example.com" }, "meeting.booked", at),
            Api.Event("fuzz-2", new { email = "fuzz@example.com" }, "email.opened", at.AddDays(1)),
            Api.Event("fuzz-3", new { email = "fuzz@example.com" }, "page.viewed", at.AddDays(2), new { url = "https://example.com/pricing" }),
            Api.Event("fuzz-4", new { email = "fuzz@example.com" }, "page.viewed", at.AddDays(3), new { url = "https://example.com/pricing" }),
            Api.Event("fuzz-5", new { email = "other@example.com" }, "email.opened", at.AddDays(4)));
        response.EnsureSuccessStatusCode();
        (await host.PutJsonAsync("/api/v1/contacts/email:fuzz@example.com", new { properties = new { city = "Utrecht", isCompetitor = "false" } }))
            .EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_documented_model_is_valid()
    {
        var response = await host.Client(host.Ws.SecretKey).PutAsync("/api/v1/scores/fuzz-base",
            new StringContent(FuzzJson.Write(BaseModel()), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Points_too_large_to_add_up_are_refused_naming_each_field()
    {
        // Two events of 1e308 points sum to infinity, which no JSON answer can carry (GET records was a 500).
        const string model = """{"name":"Huge","limit":1e300,"groups":[{"rules":[{"event":"page.viewed","points":1e308},{"event":"meeting.booked","points":-1.7e308}]}]}""";

        var response = await host.Client(host.Ws.SecretKey).PutAsync("/api/v1/scores/huge", new StringContent(model, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["groups[0].rules[0].points", "groups[0].rules[1].points", "limit"], Api.ErrorNames(await response.JsonAsync()));
    }

    [Fact]
    public async Task A_mutated_model_is_saved_and_publishes_or_is_refused_naming_fields_it_has()
    {
        await Models.SampleAsync(m => CheckAsync(m.Json, m.Model), iter: Iterations, threads: 1, print: m => m.Json);
    }

    private async Task CheckAsync(string json, object? model)
    {
        var client = host.Client(host.Ws.SecretKey);
        // A model that makes the host loop fails the property instead of hanging the run.
        client.Timeout = TimeSpan.FromSeconds(20);
        var id = "fuzz-" + (_iteration++ % 5);
        var before = await client.GetStringAsync($"/api/v1/scores");
        using var response = await client.PutAsync($"/api/v1/scores/{id}", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var what = $"PUT {id}: {(int)response.StatusCode} {text}";

        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var publish = await client.PostAsync($"/api/v1/scores/{id}/publish?wait=10", null);
            var published = await publish.Content.ReadAsStringAsync();
            Assert.True(publish.StatusCode == HttpStatusCode.OK, $"saved, but publishing answered {(int)publish.StatusCode} {published}; {what}");
            foreach (var read in new[] { $"/api/v1/scores/{id}/records", "/api/v1/contacts/email:fuzz@example.com/scores",
                         $"/api/v1/contacts/email:fuzz@example.com/scores/{id}/history", "/api/v1/scores", $"/api/v1/scores/{id}" })
            {
                using var answer = await client.GetAsync(read);
                Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {read} answered {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            }

            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.TryGetProperty("errors", out var errors), $"a 400 without errors: {what}");
        var names = errors.EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(ModelPaths.NamesFieldOf(model, name), $"'{name}' is not a field of the model: {what}"));
        Assert.Equal(before, await client.GetStringAsync($"/api/v1/scores"));
    }

    private static (string, object?) Build(Func<object?, object?>[] mutations)
    {
        object? model = BaseModel();
        foreach (var mutate in mutations)
        {
            model = mutate(model);
        }

        return (FuzzJson.Write(model), model);
    }

    /// <summary>The model of plugins/ScoreHub.Plugins.Points/README.md, as a tree to mutate.</summary>
    private static JObj BaseModel() =>
        (JObj)ModelPaths.FromJson("""
        {
          "name": "Sales and marketing", "kind": "engagement", "limit": 100, "floor": 0,
          "groups": [
            { "name": "Sales engagement", "limit": 60, "rules": [
              { "event": "conversation.started", "points": 15 },
              { "event": "meeting.booked", "points": 10 },
              { "event": "meeting.completed", "points": 20 } ] },
            { "name": "Marketing engagement", "limit": 40,
              "decay": { "type": "linear", "percent": 50, "every": "1 month" },
              "rules": [
                { "event": "page.viewed", "points": 5, "where": { "url": { "contains": "/pricing" } }, "timeframe": "30 days", "max": 20 },
                { "event": "email.opened", "points": 2, "decay": { "type": "halfLife", "every": "7 days" } },
                { "event": "page.viewed", "points": 10, "atLeast": 2, "within": "7 days" } ] },
            { "name": "Location", "rules": [
              { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 } ] }
          ],
          "thresholds": [ { "label": "cold", "below": 30 }, { "label": "warm", "below": 71 }, { "label": "hot" } ],
          "exclude": { "property": "isCompetitor", "op": "eq", "value": true }
        }
        """)!;

    private static object? Apply(object? model, int kind, int pick, object? value, object? number, object? duration, string op, int depth)
    {
        var members = ModelPaths.Members(model).ToList();
        if (members.Count == 0)
        {
            return value;
        }

        var (parent, index) = members[pick % members.Count];
        switch (kind)
        {
            case 0:
                Remove(parent, index);
                break;
            case 1 when parent is JObj obj:
                obj.Insert(index, obj[index]);
                break;
            case 1 when parent is JArr arr:
                arr.Insert(index, arr[index]);
                break;
            case 2:
                Set(parent, index, value);
                break;
            case 3:
                Set(parent, index, number);
                break;
            case 4:
                Set(parent, index, duration);
                break;
            case 5 when parent is JObj obj:
                // An operator where one may go: a where test's name or a filter's op.
                obj[index] = obj[index].Key == "op" ? new("op", op) : new(op, obj[index].Value);
                break;
            case 6:
                // Groups inside groups inside ..., as deep as the JSON reader allows and deeper.
                object? nested = Get(parent, index);
                for (var i = 0; i < depth; i++)
                {
                    nested = new JObj().Add("name", "g").Add(i % 2 == 0 ? "rules" : "groups", FuzzJson.ToArr([nested]));
                }

                Set(parent, index, nested);
                break;
            default:
                Set(parent, index, value);
                break;
        }

        return model;
    }

    private static object? Get(object parent, int index) => parent is JObj obj ? obj[index].Value : ((JArr)parent)[index];

    private static void Set(object parent, int index, object? value)
    {
        if (parent is JObj obj)
        {
            obj[index] = new(obj[index].Key, value);
        }
        else
        {
            ((JArr)parent)[index] = value;
        }
    }

    private static void Remove(object parent, int index)
    {
        if (parent is JObj obj)
        {
            obj.RemoveAt(index);
        }
        else
        {
            ((JArr)parent).RemoveAt(index);
        }
    }
}

/// <summary>JSON paths (<c>groups[1].rules[0].points</c>) against a model tree.</summary>
public static class ModelPaths
{
    /// <summary>Every member of every object and array in the tree, as (container, index).</summary>
    public static IEnumerable<(object Parent, int Index)> Members(object? node)
    {
        switch (node)
        {
            case JObj obj:
                for (var i = 0; i < obj.Count; i++)
                {
                    yield return (obj, i);
                    foreach (var member in Members(obj[i].Value))
                    {
                        yield return member;
                    }
                }

                break;
            case JArr arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    yield return (arr, i);
                    foreach (var member in Members(arr[i]))
                    {
                        yield return member;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> names a field of the model: it leads to a value in it, or it is a member missing
    /// from an object that is in it (a required field left out). Names may contain '.', so every split is tried.
    /// </summary>
    public static bool NamesFieldOf(object? model, string path)
    {
        if (path.Length == 0)
        {
            return false;
        }

        return Resolves(model, path, allowMissing: true);
    }

    private static bool Resolves(object? node, string rest, bool allowMissing)
    {
        if (rest.Length == 0)
        {
            return true;
        }

        if (rest[0] == '[')
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || node is not JArr arr || !int.TryParse(rest[1..close], out var i) || i < 0 || i >= arr.Count)
            {
                return false;
            }

            var after = rest[(close + 1)..];
            return Resolves(arr[i], after.StartsWith('.') ? after[1..] : after, allowMissing);
        }

        if (node is not JObj obj)
        {
            return false;
        }

        foreach (var (name, value) in obj)
        {
            if (rest.StartsWith(name, StringComparison.Ordinal))
            {
                var after = rest[name.Length..];
                if (after.Length == 0 || after[0] == '[' ? Resolves(value, after, allowMissing) : after[0] == '.' && Resolves(value, after[1..], allowMissing))
                {
                    return true;
                }
            }
        }

        // A required member left out: the last segment names a member the object does not have.
        return allowMissing && !rest.Contains('.', StringComparison.Ordinal) && !rest.Contains('[', StringComparison.Ordinal);
    }

    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    private static object? From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => FuzzJson.ToObj(element.EnumerateObject().Select(p => (p.Name, From(p.Value)))),
        JsonValueKind.Array => FuzzJson.ToArr(element.EnumerateArray().Select(From)),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var n) ? n : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
