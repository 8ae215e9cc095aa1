using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Contacts;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Demo;

/// <summary>
/// With <c>ScoreHub:Demo=true</c>: (re)creates the demo workspace, issues it fresh keys (printed once; only hashes
/// are stored) and streams a synthetic but realistic customer journey into it through the normal ingest path:
/// an ad click, a brochure download that captures the email, an email flow, the pricing page, a demo request and a
/// meeting, with some leads going cold instead.
/// </summary>
internal sealed class DemoJourney(
    IOptions<ScoreHubOptions> options,
    Database db,
    KeyStore keys,
    Ledger ledger,
    IMediator mediator,
    TimeProvider clock,
    IServer server,
    IHostApplicationLifetime lifetime,
    ScoreModels scores,
    ILogger<DemoJourney> logger) : BackgroundService
{
    public const string WorkspaceId = "ws_demo";

    /// <summary>The demo's score: HubSpot-style engagement groups with limits, decay on web activity, fit penalties.</summary>
    public const string DemoModel = """
        {
          "name": "Lead score",
          "kind": "engagement",
          "limit": 100,
          "groups": [
            { "name": "Sales engagement", "limit": 60, "rules": [
                { "event": "meeting.booked", "points": 20 },
                { "event": "meeting.completed", "points": 25 },
                { "event": "web.form_submitted", "where": { "form": { "eq": "demo-request" } }, "points": 20 } ] },
            { "name": "Marketing engagement", "limit": 40, "decay": { "percent": 50, "every": "1 month" }, "rules": [
                { "event": "social.clicked", "points": 3 },
                { "event": "web.downloaded", "points": 8 },
                { "event": "email.opened", "points": 2 },
                { "event": "email.clicked", "points": 5 },
                { "event": "web.page_viewed", "where": { "url": { "contains": "/pricing" } }, "points": 8, "max": 24 } ] },
            { "name": "Negative signals", "rules": [
                { "event": "email.unsubscribed", "points": -15 },
                { "event": "web.page_viewed", "where": { "url": { "contains": "/careers" } }, "points": -10 } ] },
            { "name": "Fit", "rules": [
                { "property": "jobTitle", "op": "in", "value": ["Student", "Retired"], "points": -20 },
                { "property": "city", "op": "neq", "value": "Rotterdam", "points": -5 } ] }
          ],
          "thresholds": [ { "label": "cold", "below": 30 }, { "label": "warm", "below": 71 }, { "label": "hot" } ]
        }
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Demo)
        {
            return;
        }

        await WhenStarted(stoppingToken);
        keys.RevokeAll(WorkspaceId);
        var created = CreateWorkspaceHandler.Create(db, keys, ledger, WorkspaceId, "Demo: Northwind Analytics", clock.GetUtcNow());
        await PublishDemoScoreAsync(stoppingToken);
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        // Printed to the console on purpose: the demo's keys are issued fresh on every start and exist nowhere else.
        Console.WriteLine($"""

            ScoreHub demo is running at {url}
              workspace    {created.Id}
              secret key   {created.Keys.Secret}
              ingest key   {created.Keys.Ingest}
              feed key     {created.Keys.Feed}
              try: curl -H "Authorization: Bearer {created.Keys.Secret}" {url}/api/v1/contacts

            """);

        var caller = new Caller(KeyKind.Ingest, WorkspaceId);
        var random = new Random(7);
        var personas = Persona.All;
        var step = new int[personas.Length];
        var sequence = ledger.Find(WorkspaceId)?.EventCount ?? 0;
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.DemoIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var i = random.Next(personas.Length);
            var persona = personas[i];
            var journey = persona.GoesCold ? Persona.ColdJourney : Persona.HotJourney;
            var (type, properties) = journey[step[i] % journey.Length];
            step[i]++;
            try
            {
                if (type == "web.form_submitted")
                {
                    await mediator.Send(new UpsertContact(caller, persona.ExternalId, persona.Email, persona.Properties(),
                        persona.Company, new Dictionary<string, string?> { ["name"] = persona.Company, ["employees"] = persona.Employees }), stoppingToken);
                }

                var signal = new Signal
                {
                    Id = "demo-" + (++sequence).ToString(CultureInfo.InvariantCulture) + "-" + clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    Type = type,
                    OccurredAt = clock.GetUtcNow(),
                    Contact = new ContactRef { ExternalId = persona.ExternalId, Email = step[i] > 2 ? persona.Email : null },
                    Properties = properties,
                };
                await mediator.Send(new IngestEvents(caller, "demo", [signal]), stoppingToken);
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is RequestValidationException or LedgerUnavailableException)
            {
                logger.LogWarning(ex, "Demo event rejected");
            }
        }
    }

    private async Task PublishDemoScoreAsync(CancellationToken ct)
    {
        try
        {
            using var model = System.Text.Json.JsonDocument.Parse(DemoModel);
            var saved = scores.SaveDraft(WorkspaceId, "lead-score", model.RootElement);
            if (saved.PublishedVersion is null || saved.Versions[^1].Model.GetRawText() != saved.Draft.GetRawText())
            {
                await scores.PublishAsync(WorkspaceId, "lead-score", TimeSpan.FromSeconds(30), ct);
            }
        }
        catch (Exception ex) when (ex is RequestValidationException or ConflictException or NotFoundException)
        {
            logger.LogWarning("Demo score not published ({Reason}); is the scorehub.points plugin installed?", ex.Message);
        }
    }

    private Task WhenStarted(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }

    private sealed record Persona(string Name, string Email, string Title, string Company, string Employees, string City, bool GoesCold)
    {
        public string ExternalId => "demo-" + Email.Split('@')[0];

        public Dictionary<string, string?> Properties() => new()
        {
            ["name"] = Name,
            ["jobTitle"] = Title,
            ["city"] = City,
            ["country"] = "NL",
            ["lifecycleStage"] = "lead",
            ["owner"] = City == "Rotterdam" ? "sam" : "lisa", // gives the feed page's owner filter something to filter
        };

        private static Dictionary<string, string> P(params string[] pairs)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < pairs.Length; i += 2)
            {
                map[pairs[i]] = pairs[i + 1];
            }

            return map;
        }

        public static readonly (string, Dictionary<string, string>)[] HotJourney =
        [
            ("social.clicked", P("network", "linkedin", "campaign", "spring-launch")),
            ("web.page_viewed", P("url", "https://northwind.example/lp/brochure", "title", "Get the brochure")),
            ("web.form_submitted", P("form", "brochure", "url", "https://northwind.example/lp/brochure")),
            ("web.downloaded", P("file", "northwind-brochure.pdf")),
            ("email.opened", P("campaign", "nurture-1")),
            ("email.clicked", P("campaign", "nurture-1", "url", "https://northwind.example/case-studies")),
            ("email.opened", P("campaign", "nurture-2")),
            ("web.page_viewed", P("url", "https://northwind.example/pricing", "title", "Pricing")),
            ("email.clicked", P("campaign", "nurture-3", "url", "https://northwind.example/pricing")),
            ("web.page_viewed", P("url", "https://northwind.example/demo", "title", "Book a demo")),
            ("web.form_submitted", P("form", "demo-request", "url", "https://northwind.example/demo")),
            ("meeting.booked", P("with", "sales")),
            ("meeting.completed", P("with", "sales")),
        ];

        public static readonly (string, Dictionary<string, string>)[] ColdJourney =
        [
            ("social.clicked", P("network", "facebook", "campaign", "spring-launch")),
            ("web.page_viewed", P("url", "https://northwind.example/lp/brochure", "title", "Get the brochure")),
            ("web.form_submitted", P("form", "brochure", "url", "https://northwind.example/lp/brochure")),
            ("email.opened", P("campaign", "nurture-1")),
            ("web.page_viewed", P("url", "https://northwind.example/careers", "title", "Careers")),
            ("email.unsubscribed", P("campaign", "nurture-2")),
        ];

        public static readonly Persona[] All =
        [
            new("Anna de Vries", "anna@rotterdam-logistics.example", "Head of Marketing", "Rotterdam Logistics", "240", "Rotterdam", false),
            new("Bram Jansen", "bram@havenwerk.example", "CEO", "Havenwerk", "45", "Rotterdam", false),
            new("Chloe Martin", "chloe@lumen.example", "Marketing Manager", "Lumen Retail", "1200", "Amsterdam", false),
            new("Daan Bakker", "daan@student.example", "Student", "University", "0", "Utrecht", true),
            new("Eva Visser", "eva@greenfield.example", "VP Sales", "Greenfield Energy", "580", "Rotterdam", false),
            new("Finn Smit", "finn@retired.example", "Retired", "-", "0", "Den Haag", true),
            new("Gemma Mulder", "gemma@portside.example", "Operations Director", "Portside BV", "90", "Rotterdam", false),
            new("Hugo Bos", "hugo@competitor.example", "Product Manager", "Rival Analytics", "300", "Eindhoven", true),
            new("Iris Peters", "iris@delta-foods.example", "CMO", "Delta Foods", "2100", "Rotterdam", false),
            new("Jesse Hendriks", "jesse@kade.example", "Growth Lead", "Kade Studio", "12", "Amsterdam", false),
        ];
    }
}
