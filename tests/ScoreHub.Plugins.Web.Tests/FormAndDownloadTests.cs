using static ScoreHub.Plugins.Web.Tests.Hits;

namespace ScoreHub.Plugins.Web.Tests;

public sealed class FormAndDownloadTests
{
    private readonly WebSource _plugin = new();

    [Fact]
    public async Task Form_submission_identifies_the_visitor_by_email_and_keeps_lead_fields_but_never_secrets()
    {
        var hit = new
        {
            id = "hit-9",
            type = "form",
            anonymousId = "anon-1",
            url = "https://acme.test/demo?ref=nav",
            title = "Book a demo",
            form = new
            {
                id = "demo-request",
                name = "demo",
                email = " Ada@Example.com ",
                fields = new Dictionary<string, string>
                {
                    ["email"] = "Ada@Example.com",
                    ["first_name"] = "Ada",
                    ["Last Name"] = "Lovelace",
                    ["company"] = "Analytical Engines",
                    ["jobTitle"] = "CTO",
                    ["password"] = "hunter2",
                    ["card-number"] = "4111111111111111",
                    ["cvc"] = "123",
                    ["message"] = "Call me on Tuesday",
                    ["empty"] = "",
                },
            },
        };

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var signal = Assert.Single(response.Signals);
        Assert.Equal("hit-9", signal.Id);
        Assert.Equal("web.form_submitted", signal.Type);
        Assert.Equal(Now, signal.OccurredAt);
        Assert.Equal(("anon-1", "Ada@Example.com"), (signal.Contact.AnonymousId, signal.Contact.Email));
        Assert.Equal(Props(
            ("url", "https://acme.test/demo?ref=nav"),
            ("path", "/demo"),
            ("title", "Book a demo"),
            ("form", "demo-request"),
            ("formId", "demo-request"),
            ("formName", "demo")), signal.Properties);
        Assert.Equal(Props(("firstName", "Ada"), ("lastName", "Lovelace"), ("company", "Analytical Engines"), ("jobTitle", "CTO")),
            signal.ContactProperties);
    }

    [Fact]
    public async Task Email_found_only_among_the_fields_still_identifies_the_visitor()
    {
        var hit = new
        {
            id = "hit-2",
            type = "form",
            anonymousId = "anon-1",
            url = "https://acme.test/brochure",
            form = new { name = "brochure", fields = new { work_email = "sam@example.com" } },
        };

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Equal("sam@example.com", signal.Contact.Email);
        Assert.Equal("brochure", signal.Properties["form"]);
        Assert.False(signal.Properties.ContainsKey("formId"));
        Assert.Empty(signal.ContactProperties);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@at@example.com")]
    [InlineData("")]
    public async Task Form_without_a_valid_email_is_recorded_for_the_anonymous_visitor(string email)
    {
        var hit = new
        {
            id = "hit-3",
            type = "form",
            anonymousId = "anon-1",
            url = "https://acme.test/contact",
            form = new { fields = new { email, company = "Acme" } },
        };

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Null(signal.Contact.Email);
        Assert.Equal("anon-1", signal.Contact.AnonymousId);
        Assert.Equal("(unnamed)", signal.Properties["form"]);
        Assert.Equal(Props(("company", "Acme")), signal.ContactProperties);
    }

    [Fact]
    public async Task Pdf_link_click_becomes_web_downloaded_with_file_name_file_url_and_page()
    {
        var hit = new
        {
            id = "hit-4",
            type = "download",
            anonymousId = "anon-1",
            url = "https://acme.test/resources?utm_source=x",
            title = "Resources",
            href = "https://cdn.acme.test/files/Pricing%20Guide%202026.pdf?v=3",
        };

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Equal(("hit-4", "web.downloaded", "anon-1"), (signal.Id, signal.Type, signal.Contact.AnonymousId));
        Assert.Equal(Props(
            ("file", "Pricing Guide 2026.pdf"),
            ("url", "https://cdn.acme.test/files/Pricing%20Guide%202026.pdf?v=3"),
            ("page", "https://acme.test/resources?utm_source=x"),
            ("title", "Resources")), signal.Properties);
    }

    [Fact]
    public async Task Download_attribute_names_the_file_when_the_link_does_not()
    {
        var hit = new
        {
            id = "hit-5",
            type = "download",
            anonymousId = "anon-1",
            url = "https://acme.test/",
            href = "https://acme.test/export?id=7",
            file = "report.xlsx",
        };

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Equal("report.xlsx", Assert.Single(response.Signals).Properties["file"]);
    }
}
