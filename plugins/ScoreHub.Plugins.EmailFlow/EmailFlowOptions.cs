using ScoreHub.Sdk;

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>The workspace settings and the per-trigger parameters of the EmailFlow action.</summary>
public static class EmailFlowOptions
{
    /// <summary>Setting: headers added to every custom call (e.g. <c>Authorization</c>), kept out of trigger parameters.</summary>
    public const string SettingHeaders = "headers";

    /// <summary>Setting: the ActiveCampaign account API URL, e.g. <c>https://acme.api-us1.com</c>.</summary>
    public const string ActiveCampaignUrl = "activeCampaignUrl";

    /// <summary>Setting: the ActiveCampaign API token, sent as <c>Api-Token</c>.</summary>
    public const string ActiveCampaignApiToken = "activeCampaignApiToken";

    /// <summary>Setting: the Mailchimp API key, e.g. <c>0123abcd-us21</c>; its suffix names the data centre.</summary>
    public const string MailchimpApiKey = "mailchimpApiKey";

    /// <summary>Setting: overrides <c>https://{dc}.api.mailchimp.com</c> (a proxy, or a test server).</summary>
    public const string MailchimpBaseUrl = "mailchimpBaseUrl";

    /// <summary>Parameter: <c>custom</c> (default), <c>activecampaign</c> or <c>mailchimp</c>.</summary>
    public const string Preset = "preset";

    /// <summary>Parameter (custom): GET, POST (default), PUT, PATCH or DELETE.</summary>
    public const string Method = "method";

    /// <summary>Parameter (custom): the URL template; placeholder values are URL-encoded.</summary>
    public const string Url = "url";

    /// <summary>Parameter (custom): an object of header templates; they override the <see cref="SettingHeaders"/> setting.</summary>
    public const string Headers = "headers";

    /// <summary>Parameter (custom): the body template, a string or a JSON object/array.</summary>
    public const string Body = "body";

    /// <summary>Parameter (activecampaign): the automation to add the contact to.</summary>
    public const string AutomationId = "automationId";

    /// <summary>Parameter (mailchimp, tag): the audience (list) id.</summary>
    public const string ListId = "listId";

    /// <summary>Parameter (mailchimp, tag): the tag to add; a template.</summary>
    public const string Tag = "tag";

    /// <summary>Parameter (mailchimp, journey): the customer journey id.</summary>
    public const string JourneyId = "journeyId";

    /// <summary>Parameter (mailchimp, journey): the journey's "API trigger" step id.</summary>
    public const string StepId = "stepId";

    /// <summary>The header carrying <see cref="ActionRequest.IdempotencyKey"/> on custom calls.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The settings as declared in the manifest. Each preset needs only its own.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new() { Name = SettingHeaders, Type = SettingType.Object, Secret = true, Description = "Headers added to every custom call, e.g. {\"Authorization\":\"Bearer ...\"}; a trigger's headers override them." },
        new() { Name = ActiveCampaignUrl, Description = "ActiveCampaign account API URL, e.g. https://acme.api-us1.com. Required for the activecampaign preset." },
        new() { Name = ActiveCampaignApiToken, Secret = true, Description = "ActiveCampaign API token (Settings > Developer). Required for the activecampaign preset." },
        new() { Name = MailchimpApiKey, Secret = true, Description = "Mailchimp API key, e.g. 0123abcd-us21 (the suffix is the data centre). Required for the mailchimp preset." },
        new() { Name = MailchimpBaseUrl, Description = "Overrides https://{dc}.api.mailchimp.com, e.g. for a proxy." },
    ];
}
