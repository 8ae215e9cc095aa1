using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;

namespace ScoreHub.Host.Features.Feed;

internal static class FeedEndpoints
{
    /// <summary>The hub, and the hot-leads page as static files at <c>/</c>.</summary>
    public static WebApplication MapFeed(this WebApplication app)
    {
        app.MapHub<LeadsHub>(LeadsHub.Path).RequireAuthorization(Policies.Feed);
        return app;
    }
}
