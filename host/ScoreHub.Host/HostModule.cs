using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Pipeline;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host;

/// <summary>What every feature stands on: configuration, the clock, the command pipeline, storage, the ledger and what follows its commits.</summary>
internal static class HostModule
{
    public static IServiceCollection AddScoreHubHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ScoreHubOptions>(configuration.GetSection(ScoreHubOptions.Section));
        services.AddSingleton(TimeProvider.System);

        // Every write is a command through the mediator: authorization, then validation, then its handler (ADR 0001).
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.PipelineBehaviors = [typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        FluentValidation.ValidatorOptions.Global.PropertyNameResolver = JsonPaths.PropertyName;

        services.AddSingleton<Database>();
        SettingsProtector.AddTo(services);
        services.AddSingleton<ILedgerStore, LiteLedgerStore>();
        services.AddSingleton<Ledger>();
        services.AddSingleton<LedgerWriter>();
        // Registered first, so it stops last: the writes other loops still make at shutdown are committed.
        services.AddHostedService<CommitPipeline>();
        services.AddSingleton<IScoreChangeSink, ScoreChangeFanOut>();

        // The HTTP API's plumbing: RFC 7807 problem details for every error, the OpenAPI document, the health check.
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.AddOpenApi();
        services.AddHealthChecks();
        return services;
    }

    /// <summary>The middleware, in order: errors as problem details, the feed page's static files, keys, rate limits.</summary>
    public static WebApplication UseScoreHubHost(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/healthz");
        return app;
    }
}
