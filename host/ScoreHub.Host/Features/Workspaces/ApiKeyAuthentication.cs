using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Infrastructure;

namespace ScoreHub.Host.Features.Workspaces;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>, or <c>Basic base64(key:)</c> as Segment's clients send
/// a write key. Webhook and hub paths may also carry the key in the query (<c>key</c> or <c>access_token</c>),
/// because providers and browsers cannot set headers there.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var record = keys.Verify(key);
        if (record is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown key."));
        }

        var claims = new List<Claim> { new(Caller.KindClaim, record.Kind.ToString()) };
        if (record.WorkspaceId is not null)
        {
            claims.Add(new Claim(Caller.WorkspaceClaim, record.WorkspaceId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    internal static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? decoded : decoded[..colon];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        var path = request.Path;
        if (path.StartsWithSegments("/api/v1/sources") || path.StartsWithSegments("/hubs"))
        {
            var query = request.Query["key"].ToString();
            if (query.Length == 0)
            {
                query = request.Query["access_token"].ToString();
            }

            return query.Length == 0 ? null : query;
        }

        return null;
    }
}

/// <summary>Authorization policies by key kind.</summary>
internal static class Policies
{
    public const string Admin = "admin";
    public const string Secret = "secret";
    public const string Ingest = "ingest";
    public const string Feed = "feed";
    public const string AdminOrSecret = "admin-or-secret";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        Require(options, Admin, KeyKind.Admin);
        Require(options, Secret, KeyKind.Secret);
        Require(options, Ingest, KeyKind.Secret, KeyKind.Ingest);
        Require(options, Feed, KeyKind.Secret, KeyKind.Feed);
        Require(options, AdminOrSecret, KeyKind.Admin, KeyKind.Secret);
    }

    private static void Require(Microsoft.AspNetCore.Authorization.AuthorizationOptions options, string name, params KeyKind[] kinds) =>
        options.AddPolicy(name, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(Caller.KindClaim, kinds.Select(k => k.ToString())));
}
