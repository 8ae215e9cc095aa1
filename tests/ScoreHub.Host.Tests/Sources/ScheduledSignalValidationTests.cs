using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Tests.Support;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>What a source may schedule: checked before anything is stored, problems named by their path in the response.</summary>
public sealed class ScheduledSignalValidationTests : WorkspaceTest
{
    private DateTimeOffset Now => App.Clock.GetUtcNow();

    [Fact]
    public void Signal_due_in_a_month_may_occur_at_its_due_instant()
    {
        var due = Now.AddDays(30);

        Validate([Scheduled("k", due, Signal(at: due))], []);
    }

    [Fact]
    public void Signal_occurring_more_than_a_day_after_its_due_instant_is_rejected()
    {
        var due = Now.AddDays(30);

        var errors = Errors([Scheduled("k", due, Signal(at: due.AddDays(2)))], []);

        Assert.Equal(["'occurredAt' is more than a day in the future."], errors["schedule[0].signal.occurredAt"]);
    }

    [Fact]
    public void Empty_key_bad_type_and_a_due_instant_beyond_a_year_are_named_by_path()
    {
        var errors = Errors(
            [Scheduled("ok", Now.AddHours(1), Signal()), Scheduled("", Now.AddDays(400), Signal(type: "Cart Abandoned"))],
            ["", "k"]);

        Assert.Equal(["cancel[0]", "schedule[1].dueAt", "schedule[1].key", "schedule[1].signal.type"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["'dueAt' is more than a year in the future."], errors["schedule[1].dueAt"]);
    }

    [Fact]
    public void Scheduled_signal_without_a_contact_is_rejected()
    {
        var errors = Errors([Scheduled("k", Now, new Signal { Id = "x", Type = "cart.abandoned", OccurredAt = Now, Contact = new ContactRef() })], []);

        Assert.Contains(errors.Keys, k => k.StartsWith("schedule[0].signal.contact", StringComparison.Ordinal));
    }

    private void Validate(ScheduledSignal[] schedule, string[] cancel) =>
        App.Services.GetRequiredService<ScheduledSignals>().Validate(new ScheduleChanges(schedule, cancel));

    private IDictionary<string, string[]> Errors(ScheduledSignal[] schedule, string[] cancel) =>
        Assert.Throws<RequestValidationException>(() => Validate(schedule, cancel)).Errors;

    private static ScheduledSignal Scheduled(string key, DateTimeOffset due, Signal signal) => new() { Key = key, DueAt = due, Signal = signal };

    private Signal Signal(string type = "cart.abandoned", DateTimeOffset? at = null) => new()
    {
        Id = "cart.abandoned:api:c-1",
        Type = type,
        OccurredAt = at ?? Now,
        Contact = new ContactRef { Email = "ada@example.com" },
    };
}
