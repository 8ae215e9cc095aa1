using System.Text.Json;
using ScoreHub.Sdk;
using static ScoreHub.Plugins.Web.Tests.Hits;

namespace ScoreHub.Plugins.Web.Tests;

public sealed class AllowedOriginTests
{
    private const string AcmeOnly = """{"allowedOrigins": ["acme.test", "https://shop.example.org"]}""";

    private readonly WebSource _plugin = new();

    [Theory]
    [InlineData("https://acme.test")]
    [InlineData("https://www.acme.test")]
    [InlineData("http://blog.eu.ACME.test:8080")]
    [InlineData("https://shop.example.org")]
    public async Task A_hit_from_an_allowed_site_or_its_subdomain_is_recorded(string origin)
    {
        var response = await _plugin.HandleAsync(FromOrigin(origin), Context(AcmeOnly), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("web.page_viewed", Assert.Single(response.Signals).Type);
    }

    [Theory]
    [InlineData("https://evil.example", "Origin 'https://evil.example' is not one of this workspace's allowed origins.")]
    [InlineData("https://notacme.test", "Origin 'https://notacme.test' is not one of this workspace's allowed origins.")]
    [InlineData("https://acme.test.evil.example", "Origin 'https://acme.test.evil.example' is not one of this workspace's allowed origins.")]
    [InlineData("https://example.org", "Origin 'https://example.org' is not one of this workspace's allowed origins.")]
    [InlineData("null", "Origin 'null' is not one of this workspace's allowed origins.")]
    [InlineData(null, "The hit has no Origin header; this workspace accepts hits only from pages on its allowed origins.")]
    public async Task A_hit_from_any_other_origin_is_refused_with_403_problem_details_and_nothing_recorded(string? origin, string detail)
    {
        var response = await _plugin.HandleAsync(FromOrigin(origin), Context(AcmeOnly), CancellationToken.None);

        Assert.Equal(403, response.StatusCode);
        Assert.False(response.IsAccepted);
        Assert.Empty(response.Signals);
        Assert.Equal("application/problem+json", response.ReplyContentType);
        using var problem = JsonDocument.Parse(response.ReplyBody!);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(detail, problem.RootElement.GetProperty("errors").GetProperty("Origin")[0].GetString());
    }

    [Theory]
    [InlineData("""{"linkSecret": "link-secret-0123456789"}""")]
    [InlineData("""{"allowedOrigins": []}""")]
    public async Task Without_a_list_any_origin_is_accepted(string settings)
    {
        var response = await _plugin.HandleAsync(FromOrigin("https://anywhere.example"), Context(settings), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Single(response.Signals);
    }

    [Fact]
    public void Entries_that_are_not_a_host_or_an_origin_are_refused_naming_each()
    {
        var report = _plugin.ValidateSettings(PluginSettings.Parse(
            """{"allowedOrigins": ["acme.test", "https://acme.test/pricing", 42, "not a host", "ftp://acme.test", "https://www.acme.test:8443"]}"""));

        Assert.False(report.IsValid);
        Assert.Equal(["allowedOrigins[1]", "allowedOrigins[2]", "allowedOrigins[3]", "allowedOrigins[4]"], report.Errors.Select(e => e.Field));
    }

    private static SourceRequest FromOrigin(string? origin)
    {
        var request = Post(PageView("https://www.acme.test/pricing"));
        if (origin is not null)
        {
            ((Dictionary<string, string>)request.Headers)["Origin"] = origin;
        }

        return request;
    }
}
