using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Core.Feed;

namespace ScoreHub.Host.Features.Feed;

internal static class FeedEndpoints
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

    /// <summary>The hub, and the hot-leads page as static files at <c>/</c>.</summary>
    public static WebApplication MapFeed(this WebApplication app)
    {
        app.MapHub<LeadsHub>(LeadsHub.Path).RequireAuthorization(Policies.Feed);
        return app;
    }
}
