using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Mailchimp.MailchimpSource))]

namespace ScoreHub.Plugins.Mailchimp;

/// <summary>
/// Mailchimp audience webhooks (form-encoded, unsigned): checks the secret in the URL, answers Mailchimp's GET
/// validation request, and maps subscribe, unsubscribe, profile, upemail and cleaned events to signals with the
/// member's merge fields as contact properties. Stateless.
/// </summary>
internal sealed class MailchimpSource : ISignalSource
{
    private const string FiredAtFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Mailchimp's default merge tags and the contact property each becomes.</summary>
    private static readonly Dictionary<string, string> PropertyByMergeTag = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FNAME"] = "firstName",
        ["LNAME"] = "lastName",
        ["COMPANY"] = "company",
        ["PHONE"] = "phone",
        ["BIRTHDAY"] = "birthday",
        ["JOBTITLE"] = "jobTitle",
        ["TITLE"] = "jobTitle",
        ["ADDRESS][addr1"] = "address",
        ["ADDRESS][city"] = "city",
        ["ADDRESS][state"] = "region",
        ["ADDRESS][zip"] = "postalCode",
        ["ADDRESS][country"] = "country",
    };

    /// <summary>Merge fields that are identity or list structure, not contact properties.</summary>
    private static readonly HashSet<string> IgnoredMergeTags = new(StringComparer.OrdinalIgnoreCase) { "EMAIL", "INTERESTS", "GROUPINGS", "ADDRESS" };

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.mailchimp",
        Name = "Mailchimp audience webhooks",
        Version = typeof(MailchimpSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives Mailchimp audience webhooks: subscribes, unsubscribes, cleaned addresses, email changes and profile updates with their merge fields.",
        Settings = MailchimpOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(MailchimpOptions.Descriptors);
        if (settings.GetString(MailchimpOptions.Secret) is { } secret
            && (secret.Length < MailchimpOptions.MinSecretLength || !MailchimpOptions.IsUrlSafe(secret)))
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(MailchimpOptions.Secret,
                $"'{MailchimpOptions.Secret}' must be at least {MailchimpOptions.MinSecretLength} characters of letters, digits, '-', '.', '_' or '~'.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!SecretMatches(request, context.Settings.GetString(MailchimpOptions.Secret) ?? ""))
        {
            return ValueTask.FromResult(SourceResponse.Unauthorized(
                $"The '{MailchimpOptions.SecretParameter}' query parameter is missing or does not match the configured secret."));
        }

        // Mailchimp checks a webhook URL with a GET before saving it; it only needs a 200.
        if (request.Method == "GET")
        {
            return ValueTask.FromResult(SourceResponse.Reply(200, ""));
        }

        return ValueTask.FromResult(Map(FormBody.Parse(request.Body.Span)));
    }

    private static bool SecretMatches(SourceRequest request, string secret)
    {
        if (secret.Length == 0 || !request.Query.TryGetValue(MailchimpOptions.SecretParameter, out var given))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the length too.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    private static SourceResponse Map(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            fields.TryAdd(name, value);
        }

        if (Get(fields, "type") is not { } kind)
        {
            return SourceResponse.BadRequest("type", "'type' is required; Mailchimp sends application/x-www-form-urlencoded bodies with type, fired_at and data[...].");
        }

        if (kind == "campaign")
        {
            // A campaign was sent to the whole audience: it names no contact, so there is nothing to record.
            return SourceResponse.Accept([]);
        }

        var emailField = kind == "upemail" ? "data[old_email]" : "data[email]";
        var type = kind switch
        {
            "subscribe" => "email.subscribed",
            "unsubscribe" => "email.unsubscribed",
            "profile" => "contact.updated",
            "upemail" => "contact.email_changed",
            "cleaned" => "email.cleaned",
            _ => null,
        };
        if (type is null)
        {
            // A type Mailchimp may add later: acknowledged so it is not retried, and skipped.
            return SourceResponse.Accept([]);
        }

        if (Get(fields, "fired_at") is not { } firedText
            || !DateTime.TryParseExact(firedText, FiredAtFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var firedAt))
        {
            return SourceResponse.BadRequest("fired_at", $"'fired_at' must be a date and time in the form {FiredAtFormat}.");
        }

        if (Get(fields, emailField) is not { } email)
        {
            return SourceResponse.BadRequest(emailField, $"'{emailField}' is required for '{kind}'.");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(properties, "list", Get(fields, "data[list_id]"));
        Put(properties, "campaignId", Get(fields, "data[campaign_id]"));
        Put(properties, "reason", Get(fields, "data[reason]"));
        if (kind == "unsubscribe")
        {
            Put(properties, "action", Get(fields, "data[action]"));
        }

        if (kind == "upemail")
        {
            if (Get(fields, "data[new_email]") is not { } newEmail)
            {
                return SourceResponse.BadRequest("data[new_email]", "'data[new_email]' is required for 'upemail'.");
            }

            properties["newEmail"] = newEmail;
        }

        return SourceResponse.Accept(
        [
            new Signal
            {
                Id = DedupeId(form),
                Type = type,
                OccurredAt = new DateTimeOffset(firedAt, TimeSpan.Zero),
                Contact = new ContactRef { Email = email },
                Properties = properties,
                ContactProperties = ContactProperties(fields),
            },
        ]);
    }

    /// <summary>
    /// Merge fields as contact properties: the default tags by their conventional names, any other tag lower-cased
    /// (<c>data[merges][PLAN]</c> becomes <c>plan</c>). Blank values are skipped, not cleared: Mailchimp sends every
    /// field, filled or not.
    /// </summary>
    private static Dictionary<string, string> ContactProperties(Dictionary<string, string> fields)
    {
        const string Prefix = "data[merges][";
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(']') || value.Length == 0)
            {
                continue;
            }

            var tag = name[Prefix.Length..^1];
            if (PropertyByMergeTag.TryGetValue(tag, out var property))
            {
                properties[property] = value;
            }
            else if (!tag.Contains('[', StringComparison.Ordinal) && !tag.Contains(']', StringComparison.Ordinal) && !IgnoredMergeTags.Contains(tag))
            {
                properties[tag.ToLowerInvariant()] = value;
            }
        }

        return properties;
    }

    /// <summary>
    /// Mailchimp sends no event id. A retry repeats the same fields, so a hash of them (sorted, so order does not
    /// matter) names the event: the same event is stored once, two different ones twice.
    /// </summary>
    private static string DedupeId(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var canonical = new StringBuilder();
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            canonical.Append(name.Length).Append(':').Append(name).Append(value.Length).Append(':').Append(value);
        }

        return "mc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())).AsSpan(0, 16));
    }

    private static string? Get(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static void Put(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[name] = value;
        }
    }
}
