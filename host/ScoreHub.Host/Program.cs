using FluentValidation;
using Microsoft.AspNetCore.Authentication;
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
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;

var builder = WebApplication.CreateBuilder(args);

builder.Services.Configure<ScoreHubOptions>(builder.Configuration.GetSection(ScoreHubOptions.Section));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks();
builder.Services.AddHttpClient();

builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
builder.Services.AddAuthorization(Policies.Add);
builder.Services.AddIngestRateLimits(builder.Configuration);

builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Singleton;
    options.PipelineBehaviors = [typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
});
builder.Services.AddSingleton<IValidator<CreateWorkspace>, CreateWorkspaceValidator>();
builder.Services.AddSingleton<IValidator<IngestEvents>, IngestEventsValidator>();
builder.Services.AddSingleton<IValidator<UpsertContact>, UpsertContactValidator>();
ValidatorOptions.Global.PropertyNameResolver = JsonPaths.PropertyName;

builder.Services.AddSingleton<Database>();
SettingsProtector.AddTo(builder.Services);
builder.Services.AddSingleton<Ledger>();
builder.Services.AddSingleton<LedgerWriter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
builder.Services.AddSingleton<KeyStore>();
builder.Services.AddSingleton<PluginCatalog>();
builder.Services.AddSingleton<PluginInvoker>();
builder.Services.AddSingleton<SourceDispatcher>();
builder.Services.AddSingleton<Activations>();
builder.Services.AddSingleton<ScoreEngine>();
builder.Services.AddSingleton<ScoreModels>();
builder.Services.AddSingleton<ScoreHistoryStore>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ScoreHistoryStore>());
builder.Services.AddSingleton<Triggers>();
builder.Services.AddSingleton<Outbox>();
builder.Services.AddSingleton<ActionDispatcher>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ActionDispatcher>());
builder.Services.AddSingleton<ScheduledSignals>();
builder.Services.AddSingleton<ContactErasure>();
builder.Services.AddHostedService<DemoJourney>();
builder.Services.AddFeed(builder.Configuration);

var app = builder.Build();

app.Services.GetRequiredService<Ledger>().Load();
app.Services.GetRequiredService<KeyStore>().Load();
app.Services.GetRequiredService<Activations>().Load();
app.Services.GetRequiredService<PluginCatalog>().LoadAll();
app.Services.GetRequiredService<Triggers>().Load();
app.Services.GetRequiredService<ActionDispatcher>().Load();
app.Services.GetRequiredService<ContactErasure>().ResumePending();
app.Services.GetRequiredService<ScoreModels>().RestorePublished(app.Logger);
app.Services.GetRequiredService<ScheduledSignals>().Load();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealthChecks("/healthz");
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
