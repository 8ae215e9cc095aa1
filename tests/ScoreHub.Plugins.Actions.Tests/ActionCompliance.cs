using ScoreHub.Plugins.Alerts;
using ScoreHub.Plugins.EmailFlow;
using ScoreHub.Plugins.Owner;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Actions.Tests;

/// <summary>The action contract, checked against scorehub.alerts on its webhook channel (the email channel needs SMTP, not HTTP).</summary>
public sealed class AlertsActionCompliance : LeadActionCompliance<ILeadAction>
{
    protected override ILeadAction CreatePlugin() => new AlertsAction();

    protected override PluginSettings ValidSettings => new SettingsBuilder()
        .With("webhookUrl", "https://hooks.example.com/scorehub")
        .With("webhookSecret", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .Build();

    protected override ActionRequest SampleRequest => new ActionRequestBuilder()
        .WithTrigger("trg_hot")
        .WithParameters("""{"channel":"webhook"}""")
        .Build();
}

/// <summary>The action contract, checked against scorehub.emailflow with a custom call.</summary>
public sealed class EmailFlowActionCompliance : LeadActionCompliance<ILeadAction>
{
    protected override ILeadAction CreatePlugin() => new EmailFlowAction();

    protected override PluginSettings ValidSettings => new SettingsBuilder()
        .WithJson(EmailFlowOptions.SettingHeaders, """{"Authorization":"Bearer flow-token"}""")
        .Build();

    protected override ActionRequest SampleRequest => new ActionRequestBuilder()
        .WithTrigger("trg_hot")
        .WithParameters("""
            {"url":"https://flows.example.com/flows/{{lead.properties.company}}/enrol?email={{lead.email}}",
             "headers":{"X-Flow":"nurture-{{score.label}}"},
             "body":{"email":"{{lead.email}}","firstName":"{{lead.properties.firstName}}","score":"{{score.value}}"}}
            """)
        .Build();
}

/// <summary>The action contract, checked against scorehub.owner's round-robin assignment (no HTTP: it returns property changes).</summary>
public sealed class OwnerActionCompliance : LeadActionCompliance<ILeadAction>
{
    protected override ILeadAction CreatePlugin() => new OwnerAction();

    protected override PluginSettings ValidSettings => new SettingsBuilder()
        .WithJson(OwnerOptions.Owners, """["ann@example.com","bob@example.com"]""")
        .Build();

    protected override ActionRequest SampleRequest => new ActionRequestBuilder()
        .WithSequence(3)
        .WithTrigger("trg_hot")
        .WithParameters("""{"action":"assign","owners":["ann@example.com","bob@example.com","cy@example.com"]}""")
        .Build();
}
