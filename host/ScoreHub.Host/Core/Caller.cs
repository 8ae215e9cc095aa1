using System.Security.Claims;

namespace ScoreHub.Host.Core;

/// <summary>The kinds of key, and so what a caller may do.</summary>
internal enum KeyKind
{
    /// <summary>Server administration: creates and lists workspaces.</summary>
    Admin,

    /// <summary>A workspace's full API.</summary>
    Secret,

    /// <summary>Write-only ingest; safe to embed in a browser snippet.</summary>
    Ingest,

    /// <summary>Read-only live feed for sales reps.</summary>
    Feed,
}

/// <summary>Who is calling, from a verified key. The workspace always comes from here, never from the request.</summary>
internal sealed record Caller(KeyKind Kind, string? WorkspaceId)
{
    public const string WorkspaceClaim = "scorehub:ws";
    public const string KindClaim = "scorehub:kind";

    public static Caller From(ClaimsPrincipal user)
    {
        var kind = Enum.Parse<KeyKind>(user.FindFirstValue(KindClaim) ?? throw new AccessDeniedException("No key."));
        return new Caller(kind, user.FindFirstValue(WorkspaceClaim));
    }

    /// <summary>The caller's workspace; a workspace key always has one.</summary>
    public string Workspace => WorkspaceId ?? throw new AccessDeniedException("This endpoint needs a workspace key.");
}
