using ScoreHub.Host.Core.Feed;

namespace ScoreHub.Host.Features.Feed;

/// <summary>The reps' live feed: the pump that moves score changes to their connections, and the SignalR hub.</summary>
internal static class FeedModule
{
    public static IServiceCollection AddFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FeedOptions>(configuration.GetSection(FeedOptions.Section));
        // Defaults kept on purpose: the hub accepts no client invocations (MaximumParallelInvocationsPerClient is
        // moot) and each connection buffers at most TransportMaxBufferSize (64 KB) before its send waits; the
        // pump coalesces behind that wait instead of queueing (docs/feed.md, "Slow clients").
        services.AddSignalR();
        services.AddSingleton<FeedPump>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedPump>());
        services.AddSingleton<FeedNotifications>();
        return services;
    }
}
