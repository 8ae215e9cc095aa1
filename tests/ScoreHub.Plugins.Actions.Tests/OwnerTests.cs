using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.Owner;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class OwnerTests
{
    private readonly OwnerAction _plugin = new();

    private static LeadSnapshot Lead(params (string Name, string Value)[] properties) => new()
    {
        Id = "lead_1",
        Email = "ann@example.com",
        Properties = properties.ToDictionary(p => p.Name, p => p.Value),
    };

    private async Task<ActionOutcome> Run(string parameters, LeadSnapshot lead, long sequence = 1, string settings = "{}") =>
        await _plugin.ExecuteAsync(Sample.Request(parameters, lead, sequence: sequence), Sample.Context(settings), CancellationToken.None);

    [Theory]
    [InlineData(1, "ann@example.com")]
    [InlineData(2, "bob@example.com")]
    [InlineData(3, "cy@example.com")]
    [InlineData(4, "ann@example.com")]
    [InlineData(302, "bob@example.com")]
    public async Task Round_robin_picks_the_owner_by_the_triggers_sequence(long sequence, string owner)
    {
        var outcome = await Run("""{"action":"assign","owners":["ann@example.com","bob@example.com","cy@example.com"]}""", Lead(), sequence);

        Assert.True(outcome.Succeeded);
        Assert.Equal(new Dictionary<string, string?> { ["owner"] = owner }, outcome.PropertyChanges);
    }

    [Fact]
    public async Task Round_robin_falls_back_to_the_owners_setting()
    {
        var outcome = await Run("""{"action":"assign"}""", Lead(), sequence: 2, settings: """{"owners":["ann@example.com","bob@example.com"]}""");

        Assert.Equal("bob@example.com", outcome.PropertyChanges["owner"]);
    }

    [Fact]
    public async Task Sequence_zero_from_an_older_host_still_picks_an_owner()
    {
        var outcome = await Run("""{"action":"assign","owners":["ann","bob","cy"]}""", Lead(), sequence: 0);

        Assert.Equal("cy", outcome.PropertyChanges["owner"]);
    }

    [Fact]
    public async Task Lead_that_has_an_owner_keeps_it()
    {
        var outcome = await Run("""{"action":"assign","owners":["ann","bob"]}""", Lead(("owner", "zed@example.com")));

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.PropertyChanges);
    }

    [Fact]
    public async Task Blank_owner_counts_as_unassigned()
    {
        var outcome = await Run("""{"action":"assign","owners":["ann","bob"]}""", Lead(("owner", "  ")));

        Assert.Equal("ann", outcome.PropertyChanges["owner"]);
    }

    [Fact]
    public async Task Owner_property_can_be_renamed()
    {
        var outcome = await Run("""{"action":"assign","ownerProperty":"salesRep","owners":["ann"]}""", Lead(("owner", "zed")));

        Assert.Equal(new Dictionary<string, string?> { ["salesRep"] = "ann" }, outcome.PropertyChanges);
    }

    private const string Territories =
        """{"action":"assign","territoryProperty":"country","territories":{"NL":"ann@example.com","DE":"bob@example.com"}""";

    [Fact]
    public async Task Territory_picks_the_owner_by_the_leads_property_ignoring_case()
    {
        var outcome = await Run(Territories + "}", Lead(("country", "de")));

        Assert.Equal(new Dictionary<string, string?> { ["owner"] = "bob@example.com" }, outcome.PropertyChanges);
    }

    [Fact]
    public async Task Territory_without_a_match_goes_to_the_fallback_owner()
    {
        var outcome = await Run(Territories + ""","fallbackOwner":"desk@example.com"}""", Lead(("country", "FR")));

        Assert.Equal("desk@example.com", outcome.PropertyChanges["owner"]);
    }

    [Fact]
    public async Task Territory_without_a_match_or_fallback_rotates_over_the_owners()
    {
        var outcome = await Run(Territories + ""","owners":["x","y"]}""", Lead(), sequence: 2);

        Assert.Equal("y", outcome.PropertyChanges["owner"]);
    }

    [Fact]
    public async Task Territory_without_a_match_or_any_fallback_fails_for_good()
    {
        var outcome = await Run(Territories + "}", Lead(("country", "FR")));

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.territories: no territory matches the lead's 'country', and neither 'fallbackOwner' nor 'owners' is set.", outcome.Reason);
    }

    [Theory]
    [InlineData("""{"action":"assign"}""", "parameters.owners: is required (or the 'owners' setting, or a 'territoryProperty').")]
    [InlineData("""{"action":"assign","owners":"ann"}""", "parameters.owners: must be an array of non-empty strings.")]
    [InlineData("""{"action":"assign","owners":["ann",""]}""", "parameters.owners: must be an array of non-empty strings.")]
    [InlineData("""{"action":"assign","territoryProperty":"country","territories":["NL"]}""", "parameters.territories: must be an object from territory value to owner, e.g. {\"NL\":\"ann@example.com\"}.")]
    [InlineData("""{"action":"lifecycle"}""", "parameters.stage: is required.")]
    [InlineData("""{"action":"promote"}""", "parameters.action: must be 'assign' or 'lifecycle'.")]
    public async Task Bad_parameters_fail_for_good_naming_the_field(string parameters, string reason)
    {
        var outcome = await Run(parameters, Lead());

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public async Task Lifecycle_sets_the_stage_in_the_spelling_of_the_stage_list()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"mql"}""", Lead(("lifecycleStage", "lead")));

        Assert.Equal(new Dictionary<string, string?> { ["lifecycleStage"] = "MQL" }, outcome.PropertyChanges);
    }

    [Fact]
    public async Task Lifecycle_never_downgrades_by_default()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"MQL"}""", Lead(("lifecycleStage", "SQL")));

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.PropertyChanges);
    }

    [Fact]
    public async Task Lifecycle_downgrades_when_forward_only_is_off()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"MQL","forwardOnly":false}""", Lead(("lifecycleStage", "SQL")));

        Assert.Equal("MQL", outcome.PropertyChanges["lifecycleStage"]);
    }

    [Fact]
    public async Task Lifecycle_at_the_same_stage_changes_nothing()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"SQL","forwardOnly":false}""", Lead(("lifecycleStage", "sql")));

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.PropertyChanges);
    }

    [Fact]
    public async Task Lifecycle_sets_a_lead_without_a_stage()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"SQL"}""", Lead());

        Assert.Equal("SQL", outcome.PropertyChanges["lifecycleStage"]);
    }

    [Fact]
    public async Task Lifecycle_uses_the_workspaces_stage_order_and_property()
    {
        var settings = """{"stages":["cold","engaged","qualified","won"]}""";

        var up = await Run("""{"action":"lifecycle","stage":"qualified","property":"stage"}""", Lead(("stage", "engaged")), settings: settings);
        var down = await Run("""{"action":"lifecycle","stage":"engaged","property":"stage"}""", Lead(("stage", "won")), settings: settings);

        Assert.Equal(new Dictionary<string, string?> { ["stage"] = "qualified" }, up.PropertyChanges);
        Assert.Empty(down.PropertyChanges);
    }

    [Fact]
    public async Task Forward_only_stage_outside_the_list_fails_for_good()
    {
        var outcome = await Run("""{"action":"lifecycle","stage":"partner"}""", Lead());

        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.stage: 'partner' is not one of the stages (subscriber, lead, MQL, SQL, opportunity, customer, evangelist); forward-only moves need it listed.", outcome.Reason);
    }

    [Fact]
    public void Manifest_names_the_action()
    {
        Assert.Equal("scorehub.owner", _plugin.Manifest.Id);
        Assert.Equal(PluginKinds.Action, _plugin.Manifest.Kinds);
        Assert.Equal(["owners", "stages"], _plugin.Manifest.Settings.Select(s => s.Name));
    }

    [Theory]
    [InlineData("""{"owners":"ann"}""", "owners", "'owners' must be a array.")]
    [InlineData("""{"owners":["ann",3]}""", "owners", "'owners' must be an array of non-empty strings.")]
    [InlineData("""{"stages":["MQL","mql"]}""", "stages", "'stages' must not name a stage twice.")]
    public void Bad_settings_are_field_errors(string settings, string field, string message)
    {
        var errors = _plugin.ValidateSettings(PluginSettings.Parse(settings)).Errors;

        Assert.Contains(errors, e => e.Field == field && e.Message == message);
    }

    [Fact]
    public void Owners_and_stages_settings_are_valid()
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse("""{"owners":["ann@example.com"],"stages":["lead","MQL","SQL"]}""")).IsValid);
    }
}
