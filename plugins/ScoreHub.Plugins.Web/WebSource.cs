using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Web;

/// <summary>
/// Maps the tracking snippet's hits (<c>POST /collect</c>, a JSON body sent as <c>text/plain</c>) to signals:
/// a page view to <c>web.page_viewed</c> (and <c>social.clicked</c> when the visit came from a social network),
/// a form submission to <c>web.form_submitted</c>, a download click to <c>web.downloaded</c>. Hits from known bots
/// are accepted and dropped. Stateless, so one instance serves every workspace concurrently.
/// </summary>
internal sealed class WebSource : ISignalSource
{
    public const string CollectPath = "/collect";
    public const int MaxBodyBytes = 64 * 1024;
    private const int MaxUrlLength = 4096;
    private const int MaxTextLength = 500;
    private const int MaxUtmLength = 200;

    private static readonly string[] UtmParameters = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.web",
        Name = "Website tracking",
        Version = typeof(WebSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives the host's tracking snippet (/t.js): page views, social click-throughs, form submissions and downloads, "
            + "linked to the contact by a form's email or a signed token in email links.",
        Settings = WebOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(WebOptions.Descriptors);
        var secret = settings.GetString(WebOptions.LinkSecret);
        if (secret is not null && secret.Length < WebOptions.MinLinkSecretLength)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(WebOptions.LinkSecret,
                $"'{WebOptions.LinkSecret}' must be at least {WebOptions.MinLinkSecretLength} characters.")));
        }

        var origins = AllowedOrigins.Check(settings).ToList();
        return origins.Count == 0 ? report : report.Merge(ValidationReport.Invalid([.. origins]));
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Handle(request, context));
    }

    private static SourceResponse Handle(SourceRequest request, SourceContext context)
    {
        if (!string.Equals(request.Path, CollectPath, StringComparison.Ordinal))
        {
            return SourceResponse.Reply(404, $"Unknown path '{request.Path}'. The snippet posts to {CollectPath}.");
        }

        if (request.Method != "POST")
        {
            return SourceResponse.Reply(405, $"Use POST for {CollectPath}.");
        }

        // Accepted with nothing stored: a bot learns nothing, and a crawler is never counted as a visit.
        if (Bots.IsBot(Header(request, "User-Agent")))
        {
            return SourceResponse.Accept([]);
        }

        var origin = Header(request, "Origin");
        if (AllowedOrigins.From(context.Settings) is { } allowed && !allowed.Allows(origin))
        {
            return OriginRefused(origin);
        }

        if (request.Body.Length > MaxBodyBytes)
        {
            return SourceResponse.BadRequest("body", $"A hit must be at most {MaxBodyBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            document = StrictJson.Parse(request.Body.Span);
        }
        catch (JsonException ex)
        {
            return SourceResponse.BadRequest("body", $"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SourceResponse.BadRequest("body", "The body must be a JSON object (one hit).");
            }

            var hit = new HitReader(root);
            var response = hit.ReadType() switch
            {
                "pageview" => PageView(hit, context),
                "form" => FormSubmission(hit, context),
                "download" => Download(hit, context),
                _ => null,
            };
            return hit.Error ?? response
                ?? SourceResponse.BadRequest("type", "'type' must be one of pageview, form, download.");
        }
    }

    private static SourceResponse? PageView(HitReader hit, SourceContext context)
    {
        var (id, anonymousId, url, title) = hit.Common();
        var referrerText = hit.OptionalString("referrer", MaxUrlLength);
        var token = hit.OptionalString("contactToken", 1024);
        if (hit.Error is not null)
        {
            return null;
        }

        var email = token is null ? null : VerifyToken(token, context);
        var contact = new ContactRef { AnonymousId = anonymousId, Email = email };
        var referrer = Urls.ParseAbsolute(referrerText);
        var now = context.Clock.GetUtcNow();

        var properties = Page(url!, title);
        if (referrer is not null)
        {
            properties["referrer"] = Urls.Clean(referrer);
        }

        foreach (var name in UtmParameters)
        {
            if (Urls.Query(url!, name) is { } value)
            {
                properties[name] = Truncate(value, MaxUtmLength);
            }
        }

        var signals = new List<Signal>(2)
        {
            new() { Id = id!, Type = "web.page_viewed", OccurredAt = now, Contact = contact, Properties = properties },
        };

        var network = SocialNetworks.Recognise(properties.GetValueOrDefault("utm_source"), properties.GetValueOrDefault("utm_medium"), referrer?.Host);
        if (network is not null)
        {
            var social = new Dictionary<string, string>(StringComparer.Ordinal) { ["network"] = network, ["url"] = properties["url"] };
            CopyIfPresent(properties, "utm_campaign", social, "campaign");
            CopyIfPresent(properties, "utm_medium", social, "medium");
            signals.Add(new Signal { Id = id + ":social", Type = "social.clicked", OccurredAt = now, Contact = contact, Properties = social });
        }

        return SourceResponse.Accept(signals);
    }

    private static SourceResponse? FormSubmission(HitReader hit, SourceContext context)
    {
        var (id, anonymousId, url, title) = hit.Common();
        var form = hit.Object("form");
        if (hit.Error is not null || form is null)
        {
            return null;
        }

        var formId = hit.OptionalString(form.Value, "form.id", "id", MaxTextLength);
        var formName = hit.OptionalString(form.Value, "form.name", "name", MaxTextLength);
        var email = hit.OptionalString(form.Value, "form.email", "email", 254);
        var contactProperties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (form.Value.TryGetProperty("fields", out var fields) && fields.ValueKind != JsonValueKind.Null)
        {
            if (fields.ValueKind != JsonValueKind.Object)
            {
                return hit.Fail("form.fields", "'form.fields' must be an object of field names and string values.");
            }

            foreach (var field in fields.EnumerateObject())
            {
                if (field.Value.ValueKind != JsonValueKind.String)
                {
                    return hit.Fail($"form.fields.{field.Name}", $"'form.fields.{field.Name}' must be a string.");
                }

                var value = field.Value.GetString()!.Trim();
                if (value.Length == 0)
                {
                    continue;
                }

                if (FormFields.IsEmail(field.Name))
                {
                    email ??= value;
                }
                else if (FormFields.PropertyFor(field.Name) is { } property)
                {
                    contactProperties[property] = Truncate(value, FormFields.MaxValueLength);
                }
            }
        }

        if (hit.Error is not null)
        {
            return null;
        }

        email = email?.Trim();
        var properties = Page(url!, title);
        properties["form"] = FirstNonEmpty(formId, formName) ?? "(unnamed)";
        CopyIfPresent(formId, properties, "formId");
        CopyIfPresent(formName, properties, "formName");
        return SourceResponse.Accept(
        [
            new Signal
            {
                Id = id!,
                Type = "web.form_submitted",
                OccurredAt = context.Clock.GetUtcNow(),
                // The email links this browser's anonymous history to the contact: the host merges them.
                Contact = new ContactRef { AnonymousId = anonymousId, Email = Emails.LooksValid(email) ? email : null },
                Properties = properties,
                ContactProperties = contactProperties,
            },
        ]);
    }

    private static SourceResponse? Download(HitReader hit, SourceContext context)
    {
        var (id, anonymousId, url, title) = hit.Common();
        var hrefText = hit.RequiredString("href", MaxUrlLength);
        var fileName = hit.OptionalString("file", MaxTextLength);
        if (hit.Error is not null)
        {
            return null;
        }

        var href = Urls.ParseAbsolute(hrefText);
        if (href is null)
        {
            return hit.Fail("href", "'href' must be an absolute http(s) URL.");
        }

        var file = FirstNonEmpty(fileName, Uri.UnescapeDataString(href.Segments[^1]).Trim('/')) ?? href.Host;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["file"] = file,
            ["url"] = Urls.Clean(href),
            ["page"] = Urls.Clean(url!),
        };
        CopyIfPresent(title, properties, "title");
        return SourceResponse.Accept(
        [
            new Signal
            {
                Id = id!,
                Type = "web.downloaded",
                OccurredAt = context.Clock.GetUtcNow(),
                Contact = new ContactRef { AnonymousId = anonymousId },
                Properties = properties,
            },
        ]);
    }

    private static string? VerifyToken(string token, SourceContext context)
    {
        var secret = context.Settings.GetString(WebOptions.LinkSecret);
        if (string.IsNullOrEmpty(secret))
        {
            context.Logger.LogInformation("A contact token arrived but no {Setting} is configured; the visit stays anonymous.", WebOptions.LinkSecret);
            return null;
        }

        var email = ContactLinks.Verify(token, secret);
        if (email is null)
        {
            // Never log the token: it names a person.
            context.Logger.LogWarning("A contact token failed verification; the visit stays anonymous.");
        }

        return email;
    }

    private static Dictionary<string, string> Page(Uri url, string? title)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = Urls.Clean(url),
            ["path"] = url.AbsolutePath,
        };
        CopyIfPresent(title, properties, "title");
        return properties;
    }

    private static void CopyIfPresent(string? value, Dictionary<string, string> to, string name)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            to[name] = value.Trim();
        }
    }

    private static void CopyIfPresent(Dictionary<string, string> from, string fromName, Dictionary<string, string> to, string name)
    {
        if (from.TryGetValue(fromName, out var value))
        {
            to[name] = value;
        }
    }

    private static string? FirstNonEmpty(params string?[] values) =>
        values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    // A problem details answer (the SDK's factories have no 403), naming the header.
    private static SourceResponse OriginRefused(string? origin)
    {
        var detail = origin is null
            ? "The hit has no Origin header; this workspace accepts hits only from pages on its allowed origins."
            : $"Origin '{Truncate(origin, MaxUtmLength)}' is not one of this workspace's allowed origins.";
        var problem = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            ["title"] = "Origin not allowed",
            ["status"] = 403,
            ["detail"] = detail,
            ["errors"] = new Dictionary<string, string[]> { ["Origin"] = [detail] },
        });
        return SourceResponse.Reply(403, problem, "application/problem+json");
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? Header(SourceRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value)
            ? value
            // The host's dictionary ignores case; a hand-built one may not.
            : request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads a hit's fields, remembering the first problem as a 400 naming the field.</summary>
    private sealed class HitReader(JsonElement root)
    {
        public SourceResponse? Error { get; private set; }

        public string? ReadType() => RequiredString("type", 20);

        public (string? Id, string? AnonymousId, Uri? Url, string? Title) Common()
        {
            var id = Identifier("id");
            var anonymousId = Identifier("anonymousId");
            var urlText = RequiredString("url", MaxUrlLength);
            var title = OptionalString("title", 10_000);
            var url = Urls.ParseAbsolute(urlText);
            if (urlText is not null && url is null)
            {
                Fail("url", "'url' must be an absolute http(s) URL.");
            }

            return (id, anonymousId, url, title is null ? null : Truncate(title.Trim(), MaxTextLength));
        }

        public SourceResponse? Fail(string field, string detail)
        {
            Error ??= SourceResponse.BadRequest(field, detail);
            return null;
        }

        public string? RequiredString(string name, int maxLength)
        {
            var value = OptionalString(root, name, name, maxLength);
            if (Error is null && string.IsNullOrWhiteSpace(value))
            {
                Fail(name, $"'{name}' is required.");
            }

            return value;
        }

        public string? OptionalString(string name, int maxLength) => OptionalString(root, name, name, maxLength);

        public string? OptionalString(JsonElement parent, string path, string name, int maxLength)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(path, $"'{path}' must be a string.");
                return null;
            }

            var text = value.GetString()!;
            if (text.Length > maxLength)
            {
                Fail(path, $"'{path}' must be at most {maxLength} characters.");
                return null;
            }

            return text;
        }

        public JsonElement? Object(string name)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                return value;
            }

            Fail(name, $"'{name}' must be an object.");
            return null;
        }

        // Hit and visitor ids are generated by the snippet: short, URL-safe.
        private string? Identifier(string name)
        {
            var value = RequiredString(name, 100);
            if (value is not null && !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                Fail(name, $"'{name}' may contain only letters, digits, '-' and '_'.");
                return null;
            }

            return value;
        }
    }
}
