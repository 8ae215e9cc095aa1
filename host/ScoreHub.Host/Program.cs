using ScoreHub.Host;
using ScoreHub.Host.Features.Actions;
using ScoreHub.Host.Features.Contacts;
using ScoreHub.Host.Features.Demo;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Features.Feed;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Features.Tracking;
using ScoreHub.Host.Features.Workspaces;

var builder = WebApplication.CreateBuilder(args);

// The host's foundation (configuration, clock, commands, storage, the ledger and its commit pipeline), then the
// features, each registering its own services. Registration order does not matter; start-up order does (Startup).
builder.Services
    .AddScoreHubHost(builder.Configuration)
    .AddWorkspaces()
    .AddPlugins()
    .AddEvents(builder.Configuration)
    .AddContacts()
    .AddScoring()
    .AddActions()
    .AddFeed(builder.Configuration)
    .AddDemo();

var app = builder.Build();

await app.LoadStateAsync();
app.UseScoreHubHost();

app.MapWorkspaces();
app.MapPlugins();
app.MapEvents();
app.MapSources();
app.MapSegment();
app.MapContacts();
app.MapScores();
app.MapTracking();
app.MapActions();
app.MapFeed();

app.Run();

/// <summary>Entry point, public for <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
