using static ScoreHub.Plugins.Web.Tests.Hits;

namespace ScoreHub.Plugins.Web.Tests;

public sealed class MalformedHitTests
{
    private readonly WebSource _plugin = new();

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "body")]
    [InlineData("""{"id":"h","anonymousId":"a","url":"https://acme.test/"}""", "type")]
    [InlineData("""{"id":"h","type":"click","anonymousId":"a","url":"https://acme.test/"}""", "type")]
    [InlineData("""{"type":"pageview","anonymousId":"a","url":"https://acme.test/"}""", "id")]
    [InlineData("""{"id":"h i","type":"pageview","anonymousId":"a","url":"https://acme.test/"}""", "id")]
    [InlineData("""{"id":"h","type":"pageview","url":"https://acme.test/"}""", "anonymousId")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"<script>","url":"https://acme.test/"}""", "anonymousId")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"a"}""", "url")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"a","url":"/relative"}""", "url")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"a","url":"javascript:alert(1)"}""", "url")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"a","url":"https://acme.test/","title":42}""", "title")]
    [InlineData("""{"id":"h","type":"pageview","anonymousId":"a","url":"https://acme.test/","referrer":{}}""", "referrer")]
    [InlineData("""{"id":"h","type":"form","anonymousId":"a","url":"https://acme.test/"}""", "form")]
    [InlineData("""{"id":"h","type":"form","anonymousId":"a","url":"https://acme.test/","form":{"fields":[]}}""", "form.fields")]
    [InlineData("""{"id":"h","type":"form","anonymousId":"a","url":"https://acme.test/","form":{"fields":{"company":1}}}""", "form.fields.company")]
    [InlineData("""{"id":"h","type":"form","anonymousId":"a","url":"https://acme.test/","form":{"email":true}}""", "form.email")]
    [InlineData("""{"id":"h","type":"download","anonymousId":"a","url":"https://acme.test/"}""", "href")]
    [InlineData("""{"id":"h","type":"download","anonymousId":"a","url":"https://acme.test/","href":"mailto:a@b.c"}""", "href")]
    public async Task Malformed_hit_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await _plugin.HandleAsync(Raw(body), Context(), CancellationToken.None);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Contains(field, response.Detail, StringComparison.Ordinal);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Oversized_url_is_refused_rather_than_cut()
    {
        var url = "https://acme.test/?q=" + new string('a', 5000);

        var response = await _plugin.HandleAsync(Post(PageView(url)), Context(), CancellationToken.None);

        Assert.Equal(("url", "'url' must be at most 4096 characters."), (response.Field, response.Detail));
    }

    [Fact]
    public async Task Unknown_path_is_404_and_get_is_405()
    {
        var wrongPath = await _plugin.HandleAsync(Raw("{}", path: "/track"), Context(), CancellationToken.None);
        var get = await _plugin.HandleAsync(Raw("", method: "GET"), Context(), CancellationToken.None);

        Assert.Equal(404, wrongPath.StatusCode);
        Assert.Equal(405, get.StatusCode);
        Assert.Empty(wrongPath.Signals);
        Assert.Empty(get.Signals);
    }
}
