using ScoreHub.Sdk;

namespace ScoreHub.Sdk.Tests;

public sealed class ContractTests
{
    private static readonly SettingDescriptor[] Descriptors =
    [
        new() { Name = "signingKey", Required = true, Secret = true },
        new() { Name = "delayMinutes", Type = SettingType.Number },
        new() { Name = "optIn", Type = SettingType.Boolean },
    ];

    [Fact]
    public void Missing_required_setting_is_reported_by_name()
    {
        var report = PluginSettings.Parse("{}").CheckAgainst(Descriptors);

        var error = Assert.Single(report.Errors);
        Assert.Equal("signingKey", error.Field);
        Assert.Equal("'signingKey' is required.", error.Message);
    }

    [Fact]
    public void Setting_of_the_wrong_json_type_is_reported_with_the_expected_type()
    {
        var report = PluginSettings.Parse("""{"signingKey":"k","delayMinutes":"60","optIn":1}""").CheckAgainst(Descriptors);

        Assert.Equal(
            [new FieldError("delayMinutes", "'delayMinutes' must be a number."), new FieldError("optIn", "'optIn' must be a boolean.")],
            report.Errors);
    }

    [Fact]
    public void Valid_settings_give_a_valid_report_and_typed_reads()
    {
        var settings = PluginSettings.Parse("""{"signingKey":"k","delayMinutes":90,"optIn":true}""");

        Assert.True(settings.CheckAgainst(Descriptors).IsValid);
        Assert.Equal("k", settings.GetString("signingKey"));
        Assert.Equal(90, settings.GetNumber("delayMinutes"));
        Assert.True(settings.GetBoolean("optIn"));
        Assert.Equal(60, settings.GetNumber("missing", 60));
    }

    [Fact]
    public void A_secret_shorter_than_its_minimum_length_is_reported_by_name()
    {
        SettingDescriptor[] descriptors = [new() { Name = "signingSecret", Required = true, Secret = true, MinLength = 16 }];

        var report = PluginSettings.Parse("""{"signingSecret":"too-short"}""").CheckAgainst(descriptors);

        Assert.Equal([new FieldError("signingSecret", "'signingSecret' must be at least 16 characters.")], report.Errors);
    }

    [Theory]
    [InlineData("""{"signingSecret":"0123456789abcdef"}""")]
    [InlineData("""{}""")]
    public void A_secret_of_the_minimum_length_or_an_absent_optional_one_is_valid(string json)
    {
        SettingDescriptor[] descriptors = [new() { Name = "signingSecret", Secret = true, MinLength = 16 }];

        Assert.True(PluginSettings.Parse(json).CheckAgainst(descriptors).IsValid);
    }

    [Fact]
    public void A_secret_that_is_not_valid_text_is_reported_not_thrown()
    {
        SettingDescriptor[] descriptors = [new() { Name = "signingSecret", Secret = true, MinLength = 16 }];

        var report = PluginSettings.Parse("""{"signingSecret":"\ud800 and then sixteen characters"}""").CheckAgainst(descriptors);

        Assert.Equal([new FieldError("signingSecret", "'signingSecret' is not valid text.")], report.Errors);
    }

    [Fact]
    public void A_secret_of_the_wrong_type_is_reported_once_for_its_type()
    {
        SettingDescriptor[] descriptors = [new() { Name = "signingSecret", Secret = true, MinLength = 16 }];

        var report = PluginSettings.Parse("""{"signingSecret":42}""").CheckAgainst(descriptors);

        Assert.Equal([new FieldError("signingSecret", "'signingSecret' must be a string.")], report.Errors);
    }

    [Fact]
    public void An_action_outcome_may_change_properties_and_notify_at_once()
    {
        var changes = new Dictionary<string, string?> { ["owner"] = "ann@example.com" };
        var note = new FeedNotification { Title = "Ada is yours", LeadId = "c1" };

        var outcome = ActionOutcome.Success(changes, [note]);

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Reason);
        Assert.Equal("ann@example.com", outcome.PropertyChanges["owner"]);
        Assert.Same(note, Assert.Single(outcome.Notifications));
    }

    [Fact]
    public void The_older_outcomes_keep_their_shape()
    {
        Assert.Empty(ActionOutcome.Notify(new FeedNotification { Title = "t" }).PropertyChanges);
        Assert.Empty(ActionOutcome.Success(new Dictionary<string, string?> { ["stage"] = "sql" }).Notifications);
        var failed = ActionOutcome.Failed("bad", retryable: false);
        Assert.Equal((false, false, "bad"), (failed.Succeeded, failed.Retryable, failed.Reason));
    }

    [Fact]
    public void Settings_must_be_a_json_object()
    {
        Assert.Throws<ArgumentException>(() => PluginSettings.Parse("[1,2]"));
    }

    [Fact]
    public void Merged_reports_keep_every_error_in_order()
    {
        var a = ValidationReport.Invalid(new FieldError("a", "first"));
        var b = ValidationReport.Invalid(new FieldError("b", "second"));

        Assert.Equal(["a", "b"], a.Merge(b).Errors.Select(e => e.Field));
        Assert.Same(a, a.Merge(ValidationReport.Valid));
    }

    [Fact]
    public void Property_value_at_an_instant_is_the_last_change_at_or_before_it()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var history = new PropertyHistory(
        [
            new PropertyChange("city", "Utrecht", t0.AddDays(10)),
            new PropertyChange("City", "Rotterdam", t0),
            new PropertyChange("city", null, t0.AddDays(20)),
        ]);

        Assert.Null(history.ValueAt("city", t0.AddTicks(-1)));
        Assert.Equal("Rotterdam", history.ValueAt("city", t0));
        Assert.Equal("Rotterdam", history.ValueAt("CITY", t0.AddDays(9)));
        Assert.Equal("Utrecht", history.ValueAt("city", t0.AddDays(10)));
        Assert.Null(history.ValueAt("city", t0.AddDays(25)));
        Assert.Equal(3, history.ChangesOf("city").Count);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Every_property_is_found_ignoring_case_among_few_or_many_and_an_absent_one_is_null(int count)
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var history = new PropertyHistory(Enumerable.Range(0, count).Select(i => new PropertyChange($"prop{i}", $"v{i}", t0)));

        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"v{i}", history.ValueAt($"prop{i}", t0));
            Assert.Equal($"v{i}", history.ValueAt($"PROP{i}", t0));
            Assert.Equal(t0, Assert.Single(history.ChangesOf($"Prop{i}")).At);
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"prop{i}"), history.Names);
        Assert.Null(history.ValueAt("prop", t0));
        Assert.Empty(history.ChangesOf("missing"));
    }

    [Fact]
    public void Source_responses_carry_status_and_field()
    {
        Assert.Equal(401, SourceResponse.Unauthorized("bad signature").StatusCode);
        var bad = SourceResponse.BadRequest("events[0].type", "unknown type");
        Assert.Equal((400, "events[0].type", false), (bad.StatusCode, bad.Field, bad.IsAccepted));
        var reply = SourceResponse.Reply(200, "ok");
        Assert.False(reply.IsAccepted);
        Assert.True(SourceResponse.Accept([]).IsAccepted);
    }
}
