using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;

namespace ScoreHub.Host.Features.Feed;

/// <summary>
/// The live hot-leads feed at <c>/hubs/leads</c>. Server-to-client only: it has no methods a client can invoke,
/// so a client can neither name a group nor ask for another workspace. The workspace comes from the key's claims
/// (feed or secret key, as <c>access_token</c> or a bearer header).
/// </summary>
[Authorize(Policy = Policies.Feed)]
internal sealed class LeadsHub(FeedPump pump, IHubContext<LeadsHub> hub) : Hub
{
    public const string Path = "/hubs/leads";

    public override async Task OnConnectedAsync()
    {
        var workspace = Caller.From(Context.User!).Workspace;
        var connectionId = Context.ConnectionId;
        // Server-side membership of the workspace's group (what a backplane fans out on); this host's own sends go
        // per connection through the pump so that one slow connection cannot hold up the others.
        await Groups.AddToGroupAsync(connectionId, FeedPump.GroupName(workspace));
        Context.Items["workspace"] = workspace;
        var context = Context;
        pump.Subscribe(workspace, connectionId, (method, payload) => hub.Clients.Client(connectionId).SendAsync(method, payload), context.Abort);
        // SignalR completes the client's handshake before this method runs, so a client cannot tell from its own
        // start() when changes begin to reach it; this message says so. Clients read the current state after it.
        await Clients.Caller.SendAsync(FeedMethods.Subscribed, new SubscribedMessage(workspace));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue("workspace", out var workspace) && workspace is string id)
        {
            pump.Unsubscribe(id, Context.ConnectionId);
        }

        return base.OnDisconnectedAsync(exception);
    }
}
