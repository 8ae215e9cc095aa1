using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Web;

/// <summary>
/// The sites allowed to send hits with the workspace's ingest key (the <c>allowedOrigins</c> setting). The key sits
/// in every page's source, so without a list any site can copy it and fill the workspace with its visitors. An
/// entry is a host name (<c>acme.com</c>) or an origin (<c>https://acme.com</c>); it allows that host and its
/// subdomains, on any scheme and port. It keeps other sites' pages out; it does not authenticate: a program
/// that is not a browser can send any <c>Origin</c> header.
/// </summary>
internal sealed class AllowedOrigins
{
    private readonly string[] _hosts;

    private AllowedOrigins(string[] hosts) => _hosts = hosts;

    /// <summary>The list from the settings, or null when the setting is absent or empty (every site allowed).</summary>
    public static AllowedOrigins? From(PluginSettings settings)
    {
        if (!settings.TryGet(WebOptions.AllowedOrigins, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var hosts = list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? HostOf(e.GetString()) : null).OfType<string>().ToArray();
        return hosts.Length == 0 ? null : new AllowedOrigins(hosts);
    }

    /// <summary>Field errors for entries that are neither a host name nor an http(s) origin.</summary>
    public static IEnumerable<FieldError> Check(PluginSettings settings)
    {
        if (!settings.TryGet(WebOptions.AllowedOrigins, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String || HostOf(entry.GetString()) is null)
            {
                yield return new FieldError($"{WebOptions.AllowedOrigins}[{index}]",
                    "Each entry must be a host name such as 'acme.com' or an origin such as 'https://www.acme.com' (no path).");
            }

            index++;
        }
    }

    /// <summary>Whether a request's <c>Origin</c> header names an allowed host (or a subdomain of one).</summary>
    public bool Allows(string? origin)
    {
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var host = uri.IdnHost;
        return _hosts.Any(allowed => host.Equals(allowed, StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("." + allowed, StringComparison.OrdinalIgnoreCase));
    }

    // "acme.com" or "https://acme.com[:port][/]": the host, lower case; anything else: null.
    private static string? HostOf(string? entry)
    {
        entry = entry?.Trim();
        if (string.IsNullOrEmpty(entry))
        {
            return null;
        }

        if (entry.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
                ? uri.IdnHost.ToLowerInvariant()
                : null;
        }

        return Uri.CheckHostName(entry) is UriHostNameType.Dns or UriHostNameType.IPv4 ? entry.ToLowerInvariant() : null;
    }
}
