using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Workspaces;

/// <summary>Who may call an endpoint: the key kinds its policy allows, or nobody needs a key.</summary>
public enum Access
{
    Anonymous,
    Admin,
    AdminOrSecret,
    Secret,
    Ingest, // secret or ingest
    Feed,   // secret or feed
}

/// <summary>
/// One row of the matrix: an endpoint as ASP.NET Core knows it (method, route pattern), who may call it, a concrete
/// request naming workspace B's resources (<c>{contact}</c>, <c>{company}</c>, <c>{score}</c> are replaced), and
/// what workspace A's keys get for it: a status, or null where A's own resource of that name is created or
/// validated instead (an upsert), when only "no data of B" is checked.
/// </summary>
public sealed record Route(string Method, string Pattern, Access Access, string Request, HttpStatusCode? CrossWorkspace = null, string? Why = null)
{
    public string RequestMethod => Method == "*" ? "POST" : Method;

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Every endpoint of the host, tried with no key, wrong keys, every key kind it does not allow, and workspace A's
/// allowed keys on workspace B's resources: 401, 403, 404 - never B's data. The table must name every endpoint the
/// host maps (read from its <see cref="EndpointDataSource"/>): a new endpoint without a row fails
/// <see cref="AuthMatrixTests.Every_mapped_endpoint_has_a_row_in_the_matrix"/>.
/// </summary>
public sealed class AuthMatrixTests(AuthMatrixTests.Fixture fixture) : IClassFixture<AuthMatrixTests.Fixture>
{
    public static readonly Route[] Routes =
    [
        new("*", "/healthz", Access.Anonymous, "/healthz", Why: "health probe for load balancers; answers only 'Healthy'"),
        new("GET", "/openapi/{documentName}.json", Access.Anonymous, "/openapi/v1.json", Why: "the API's description; holds no data"),
        new("GET", "/t.js", Access.Anonymous, "/t.js", Why: "the tracking snippet customers' websites load; the hits it sends carry the ingest key"),

        new("POST", "/api/v1/workspaces/", Access.Admin, "/api/v1/workspaces"),
        new("GET", "/api/v1/workspaces/", Access.Admin, "/api/v1/workspaces"),
        new("GET", "/api/v1/workspaces/current", Access.Secret, "/api/v1/workspaces/current", HttpStatusCode.OK),

        new("POST", "/api/v1/plugins/", Access.Admin, "/api/v1/plugins"),
        new("GET", "/api/v1/plugins/", Access.AdminOrSecret, "/api/v1/plugins", HttpStatusCode.OK),
        new("GET", "/api/v1/plugins/{id}", Access.AdminOrSecret, "/api/v1/plugins/scorehub.tags", HttpStatusCode.OK),
        new("PUT", "/api/v1/plugins/{id}/activation", Access.Secret, "/api/v1/plugins/scorehub.tags/activation"),
        new("DELETE", "/api/v1/plugins/{id}/activation", Access.Secret, "/api/v1/plugins/scorehub.tags/activation", HttpStatusCode.NotFound),

        new("POST", "/api/v1/events", Access.Ingest, "/api/v1/events"),
        new("*", "/api/v1/sources/{pluginId}/{**path}", Access.Ingest, "/api/v1/sources/scorehub.tags/hook", HttpStatusCode.NotFound),
        new("POST", "/v1/{call:regex(^(batch|import|track|identify|page|screen|group|alias)$)}", Access.Ingest, "/v1/track", HttpStatusCode.NotFound),

        new("PUT", "/api/v1/contacts/{id}", Access.Ingest, "/api/v1/contacts/b-crm-1"), // B's external id: an upsert in A creates A's own
        new("GET", "/api/v1/contacts/{id}", Access.Secret, "/api/v1/contacts/{contact}", HttpStatusCode.NotFound),
        new("DELETE", "/api/v1/contacts/{id}", Access.Secret, "/api/v1/contacts/{contact}", HttpStatusCode.NotFound),
        new("GET", "/api/v1/contacts/{id}/events", Access.Secret, "/api/v1/contacts/{contact}/events", HttpStatusCode.NotFound),
        new("GET", "/api/v1/contacts/{id}/properties/history", Access.Secret, "/api/v1/contacts/{contact}/properties/history", HttpStatusCode.NotFound),
        new("GET", "/api/v1/contacts/", Access.Secret, "/api/v1/contacts?email=bea@b-only.example", HttpStatusCode.OK),
        new("GET", "/api/v1/contacts/{id}/scores", Access.Feed, "/api/v1/contacts/{contact}/scores", HttpStatusCode.NotFound),
        new("GET", "/api/v1/contacts/{id}/scores/{scoreId}/history", Access.Feed, "/api/v1/contacts/{contact}/scores/{score}/history", HttpStatusCode.NotFound),

        new("PUT", "/api/v1/scores/{id}", Access.Secret, "/api/v1/scores/{score}"),
        new("GET", "/api/v1/scores/", Access.Feed, "/api/v1/scores", HttpStatusCode.OK),
        new("GET", "/api/v1/scores/{id}", Access.Secret, "/api/v1/scores/{score}", HttpStatusCode.NotFound),
        new("DELETE", "/api/v1/scores/{id}", Access.Secret, "/api/v1/scores/{score}", HttpStatusCode.NotFound),
        new("POST", "/api/v1/scores/{id}/publish", Access.Secret, "/api/v1/scores/{score}/publish", HttpStatusCode.NotFound),
        new("GET", "/api/v1/scores/{id}/publication", Access.Secret, "/api/v1/scores/{score}/publication", HttpStatusCode.NotFound),
        new("GET", "/api/v1/scores/{id}/records", Access.Feed, "/api/v1/scores/{score}/records", HttpStatusCode.NotFound),

        new("GET", "/api/v1/companies/{id}", Access.Secret, "/api/v1/companies/{company}", HttpStatusCode.NotFound),
        new("GET", "/api/v1/companies/{id}/scores", Access.Feed, "/api/v1/companies/{company}/scores", HttpStatusCode.NotFound),
        new("GET", "/api/v1/companies/{id}/scores/{scoreId}/history", Access.Feed, "/api/v1/companies/{company}/scores/{score}/history", HttpStatusCode.NotFound),

        new("PUT", "/api/v1/triggers/{id}", Access.Secret, "/api/v1/triggers/b-trigger"),
        new("GET", "/api/v1/triggers/", Access.Secret, "/api/v1/triggers", HttpStatusCode.OK),
        new("GET", "/api/v1/triggers/{id}", Access.Secret, "/api/v1/triggers/b-trigger", HttpStatusCode.NotFound),
        new("DELETE", "/api/v1/triggers/{id}", Access.Secret, "/api/v1/triggers/b-trigger", HttpStatusCode.NotFound),
        new("GET", "/api/v1/actions/deliveries/", Access.Secret, "/api/v1/actions/deliveries", HttpStatusCode.OK),
        new("GET", "/api/v1/actions/deliveries/{id}", Access.Secret, "/api/v1/actions/deliveries/act_0", HttpStatusCode.NotFound),
        new("POST", "/api/v1/actions/deliveries/{id}/retry", Access.Secret, "/api/v1/actions/deliveries/act_0/retry", HttpStatusCode.NotFound),

        // The hub: a key is needed to negotiate and to connect; the group is the key's workspace (FeedHubTests).
        new("*", "/hubs/leads/negotiate", Access.Feed, "/hubs/leads/negotiate?negotiateVersion=1"),
        new("*", "/hubs/leads", Access.Feed, "/hubs/leads"),
    ];

    public static TheoryData<string> Rows() => [.. Routes.Select(r => r.ToString())];

    [Fact]
    public void Every_mapped_endpoint_has_a_row_in_the_matrix()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        var listed = Routes.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(mapped.Except(listed).Order()); // a new endpoint: add its row
        Assert.Empty(listed.Except(mapped).Order()); // a row for an endpoint that no longer exists
    }

    [Fact]
    public void Only_the_allow_listed_endpoints_are_anonymous_and_each_says_why()
    {
        var anonymous = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => e.RoutePattern.RawText)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Routes.Where(r => r.Access == Access.Anonymous).Select(r => r.Pattern).Order(), anonymous.Order());
        Assert.All(Routes.Where(r => r.Access == Access.Anonymous), r => Assert.False(string.IsNullOrWhiteSpace(r.Why)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Without_a_key_or_with_a_wrong_key_an_endpoint_answers_401(string row)
    {
        var route = Find(row);
        if (route.Access == Access.Anonymous)
        {
            var open = await fixture.SendAsync(route, key: null);
            Assert.True(open.Status is HttpStatusCode.OK, $"{route} answered {(int)open.Status} without a key");
            return;
        }

        foreach (var key in new[] { null, "shk_secret_not-a-real-key", "shk_admin_not-a-real-key", "not-even-a-scorehub-key" })
        {
            var (status, body) = await fixture.SendAsync(route, key);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{route} with key '{key}' answered {(int)status}");
            fixture.AssertNoDataOfB(route, body);
        }

        // Where a key may travel in the query, a wrong one there is refused the same way.
        if (route.Pattern.StartsWith("/api/v1/sources", StringComparison.Ordinal) || route.Pattern.StartsWith("/hubs", StringComparison.Ordinal))
        {
            var (status, _) = await fixture.SendAsync(route with { Request = route.Request + (route.Request.Contains('?') ? "&" : "?") + "key=shk_ingest_wrong" }, key: null);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_key_of_a_kind_the_endpoint_does_not_allow_is_403_and_sees_nothing(string row)
    {
        var route = Find(row);
        foreach (var (kind, key) in fixture.KeysOfA)
        {
            if (route.Access == Access.Anonymous || Allows(route.Access, kind))
            {
                continue;
            }

            var (status, body) = await fixture.SendAsync(route, key);
            Assert.True(status == HttpStatusCode.Forbidden, $"{route} with a {kind} key answered {(int)status}");
            fixture.AssertNoDataOfB(route, body);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Another_workspaces_keys_never_reach_its_resources(string row)
    {
        var route = Find(row);
        foreach (var (kind, key) in fixture.KeysOfA)
        {
            if (route.Access is Access.Anonymous or Access.Admin || kind == "admin" || !Allows(route.Access, kind))
            {
                continue;
            }

            var (status, body) = await fixture.SendAsync(route, key);
            if (route.CrossWorkspace is { } expected)
            {
                Assert.True(status == expected, $"{route} with A's {kind} key on B's resource answered {(int)status}, expected {(int)expected}: {body}");
            }

            fixture.AssertNoDataOfB(route, body);
        }

        await fixture.AssertBIsIntactAsync();
    }

    private static Route Find(string row) => Routes.Single(r => r.ToString() == row);

    private static bool Allows(Access access, string kind) => access switch
    {
        Access.Admin => kind == "admin",
        Access.AdminOrSecret => kind is "admin" or "secret",
        Access.Secret => kind == "secret",
        Access.Ingest => kind is "secret" or "ingest",
        Access.Feed => kind is "secret" or "feed",
        _ => true,
    };

    /// <summary>One host; workspace B holds a contact, a company, a published score and an active plugin with a secret.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private const string BEmail = "bea@b-only.example";
        private const string BName = "Bea Bravo-Secretname";
        private const string BCompanyName = "B-Only Company Name";
        private const string BScoreName = "B-Only Score Name";
        private const string BSigningSecret = "b-only-signing-secret-0123456789";

        public ScoreHubApp App { get; } = new(pluginsDirectory: PluginDirectories.FirstParty);

        public TestWorkspace A { get; private set; } = null!;

        public TestWorkspace B { get; private set; } = null!;

        public string BContact { get; private set; } = null!;

        public IReadOnlyList<(string Kind, string Key)> KeysOfA =>
            [("admin", ScoreHubApp.AdminKey), ("secret", A.SecretKey), ("ingest", A.IngestKey), ("feed", A.FeedKey)];

        public async Task InitializeAsync()
        {
            A = await App.CreateWorkspaceAsync("A");
            B = await App.CreateWorkspaceAsync("B");
            var b = App.Client(B.SecretKey);
            var model = new
            {
                name = BScoreName,
                kind = "engagement",
                groups = new object[] { new { name = "G", rules = new object[] { new { @event = "meeting.booked", points = 50 } } } },
                thresholds = new object[] { new { label = "cold", below = 40 }, new { label = "hot" } },
            };
            var company = new
            {
                name = BScoreName + " (companies)",
                kind = "engagement",
                @object = "company",
                groups = new object[] { new { name = "G", rules = new object[] { new { @event = "meeting.booked", points = 50 } } } }
            };
            Ok(await b.PutAsJsonAsync("/api/v1/scores/b-score", model));
            Ok(await b.PostAsync("/api/v1/scores/b-score/publish", null));
            Ok(await b.PutAsJsonAsync("/api/v1/scores/b-companies", company));
            Ok(await b.PostAsync("/api/v1/scores/b-companies/publish", null));
            Ok(await b.PutAsJsonAsync("/api/v1/plugins/scorehub.tags/activation", new { settings = new { signingSecret = BSigningSecret } }));
            var contact = await b.PutAsJsonAsync("/api/v1/contacts/b-crm-1",
                new { email = BEmail, properties = new { name = BName }, company = new { id = "b-company", properties = new { name = BCompanyName } } });
            Ok(contact);
            BContact = (await contact.JsonAsync()).GetProperty("id").GetString()!;
            Ok(await b.PostEventsAsync(Api.Event("b-1", new { email = BEmail }, "meeting.booked")));
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }

        public async Task<(HttpStatusCode Status, string Body)> SendAsync(Route route, string? key)
        {
            var path = route.Request.Replace("{contact}", BContact, StringComparison.Ordinal)
                .Replace("{company}", "b-company", StringComparison.Ordinal)
                .Replace("{score}", "b-score", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.RequestMethod), path);
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            if (route.RequestMethod is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await App.CreateClient().SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>B's data never appears in an answer to A (nor to anyone without B's keys).</summary>
        public void AssertNoDataOfB(Route route, string body)
        {
            foreach (var marker in new[] { BEmail, BName, BCompanyName, BScoreName, BSigningSecret, B.Id, B.SecretKey, B.IngestKey, B.FeedKey })
            {
                Assert.False(body.Contains(marker, StringComparison.Ordinal), $"{route} answered with B's '{marker}': {body}");
            }
        }

        /// <summary>Nothing A did changed B: its contact, events, score and activation are as set up.</summary>
        public async Task AssertBIsIntactAsync()
        {
            var b = App.Client(B.SecretKey);
            var contact = await b.GetJsonAsync($"/api/v1/contacts/{BContact}");
            Assert.Equal(BEmail, contact.GetProperty("email").GetString());
            Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());
            Assert.Equal(50, Assert.Single((await b.GetJsonAsync($"/api/v1/contacts/{BContact}/scores")).EnumerateArray()).GetProperty("value").GetDouble());
            Assert.Equal("b-company", contact.GetProperty("companyId").GetString());
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/scores/b-score")).StatusCode);
            Assert.True((await b.GetJsonAsync("/api/v1/plugins/scorehub.tags")).GetProperty("activation").GetProperty("active").GetBoolean());
        }

        private static void Ok(HttpResponseMessage response) =>
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}");
    }
}
