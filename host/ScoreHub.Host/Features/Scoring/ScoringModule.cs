using ScoreHub.Host.Core.Scoring;

namespace ScoreHub.Host.Features.Scoring;

/// <summary>Score models (drafts, versions, publishing), the engine that keeps published scores current, and their history.</summary>
internal static class ScoringModule
{
    public static IServiceCollection AddScoring(this IServiceCollection services)
    {
        services.AddSingleton<ScoreEngine>();
        services.AddSingleton<ScoreModels>();
        services.AddSingleton<ScoreHistoryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<ScoreHistoryStore>());
        return services;
    }
}
