using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// A customer's website on its own origin (<c>http://localhost:port</c>, while the host is on 127.0.0.1), with
/// pages that embed the host's snippet: proves the snippet works cross-origin, as it does on a real site.
/// </summary>
internal sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri Url(string pathAndQuery) => new(Address, pathAndQuery);

    public static async Task<TestSite> StartAsync(Uri scoreHub, string ingestKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var snippet = $"""<script async src="{new Uri(scoreHub, "/t.js")}" data-key="{ingestKey}"></script>""";

        app.MapMethods("/{page}.html", ["GET", "POST"], (string page) =>
            Pages.TryGetValue(page, out var content)
                ? Results.Content(Html(content.Title, snippet, content.Body), "text/html; charset=utf-8")
                : Results.NotFound());
        app.MapGet("/files/{name}.pdf", (string name, HttpResponse response) =>
        {
            response.Headers.ContentDisposition = $"attachment; filename=\"{name}.pdf\"";
            return Results.Bytes("%PDF-1.4\n%test\n"u8.ToArray(), "application/pdf");
        });

        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        // The host is reached as 127.0.0.1; the site as localhost: another origin and another host name.
        return new TestSite(app, new Uri($"http://localhost:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static readonly Dictionary<string, (string Title, string Body)> Pages = new(StringComparer.Ordinal)
    {
        ["landing"] = ("Acme - Analytics for teams", """
            <h1>Analytics for teams</h1>
            <a id="pricing" href="/pricing.html">See pricing</a>
            """),
        ["pricing"] = ("Pricing - Acme", """
            <h1>Pricing</h1>
            <form id="demo-request" name="demo" method="post" action="/thanks.html">
              <input type="email" name="email" id="email">
              <input name="company" id="company">
              <input name="job_title" id="job_title">
              <input type="password" name="password" id="password">
              <input type="hidden" name="csrf" value="secret-csrf-value">
              <button type="submit" id="send">Book a demo</button>
            </form>
            """),
        ["thanks"] = ("Thank you - Acme", """
            <h1>Thanks! Here is our brochure.</h1>
            <a id="brochure" href="/files/acme-brochure.pdf">Download the brochure</a>
            """),
    };

    private static string Html(string title, string snippet, string body) => $"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>{title}</title>{snippet}</head>
        <body>{body}</body></html>
        """;
}
