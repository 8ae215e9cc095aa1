using System.Globalization;
using System.Text;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Alerts;

/// <summary>The words every channel uses for a transition: the lead's name, the headline, the short "why".</summary>
internal static class AlertText
{
    /// <summary>A short "why" keeps an alert readable: the biggest groups, and the biggest rules of each.</summary>
    public const int MaxGroups = 3;

    public const int MaxRulesPerGroup = 3;

    /// <summary>The lead properties shown in an email, in this order, when present.</summary>
    private static readonly (string Property, string Label)[] DetailProperties =
    [
        ("company", "Company"), ("jobTitle", "Job title"), ("phone", "Phone"), ("country", "Country"), ("city", "City"),
        (AlertsOptions.OwnerProperty, "Owner"), ("lifecycleStage", "Lifecycle stage"),
    ];

    /// <summary><c>name</c>, else first and last name, else the email, else the id.</summary>
    public static string LeadName(LeadSnapshot lead)
    {
        if (Property(lead, "name") is { } name)
        {
            return name;
        }

        var first = Property(lead, "firstName") ?? Property(lead, "firstname");
        var last = Property(lead, "lastName") ?? Property(lead, "lastname");
        if (first is not null || last is not null)
        {
            return $"{first} {last}".Trim();
        }

        return string.IsNullOrWhiteSpace(lead.Email) ? lead.Id : lead.Email;
    }

    /// <summary>A non-blank property value, trimmed, or <c>null</c>.</summary>
    public static string? Property(LeadSnapshot lead, string name) =>
        lead.Properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"Ann Smith is now hot", or "Ann Smith now scores 82" for a score without labels.</summary>
    public static string Headline(LeadSnapshot lead, ScoreTransition transition) =>
        transition.ToLabel is { Length: > 0 } label
            ? $"{LeadName(lead)} is now {label}"
            : $"{LeadName(lead)} now scores {Number(transition.ToValue)}";

    /// <summary>"Ann Smith is now hot (82)".</summary>
    public static string Subject(LeadSnapshot lead, ScoreTransition transition) =>
        transition.ToLabel is { Length: > 0 }
            ? $"{Headline(lead, transition)} ({Number(transition.ToValue)})"
            : Headline(lead, transition);

    /// <summary>"82 (hot)", "82".</summary>
    public static string ValueAndLabel(double? value, string? label) =>
        value is null ? "none" : label is { Length: > 0 } ? $"{Number(value.Value)} ({label})" : Number(value.Value);

    /// <summary><c>success</c> when the score rose, <c>warning</c> when it fell, <c>info</c> otherwise.</summary>
    public static string Direction(ScoreTransition transition) =>
        transition.FromValue is not { } from ? "info"
        : transition.ToValue > from ? "success"
        : transition.ToValue < from ? "warning"
        : "info";

    /// <summary>The groups that contributed most (by absolute points), each with its biggest non-zero rules.</summary>
    public static IReadOnlyList<(GroupBreakdown Group, IReadOnlyList<RuleBreakdown> Rules)> TopReasons(ScoreTransition transition) =>
        [.. transition.Breakdown
            .Where(g => g.Value != 0)
            .OrderByDescending(g => Math.Abs(g.Value))
            .Take(MaxGroups)
            .Select(g => (g, (IReadOnlyList<RuleBreakdown>)[.. g.Rules.Where(r => r.Points != 0).OrderByDescending(r => Math.Abs(r.Points)).Take(MaxRulesPerGroup)]))];

    /// <summary>One line for a toast: "Score 82 (was 65). Top reasons: Sales engagement 35, Marketing engagement 19."</summary>
    public static string FeedMessage(ScoreTransition transition)
    {
        var text = new StringBuilder($"Score {Number(transition.ToValue)}");
        if (transition.FromValue is { } from)
        {
            text.Append(CultureInfo.InvariantCulture, $" (was {Number(from)})");
        }

        text.Append('.');
        var reasons = TopReasons(transition);
        if (reasons.Count > 0)
        {
            text.Append(" Top reasons: ").AppendJoin(", ", reasons.Select(r => $"{r.Group.Name} {Number(r.Group.Value)}")).Append('.');
        }

        return text.ToString();
    }

    /// <summary>The plain-text email body: score, transition, why, and the lead's details.</summary>
    public static string EmailBody(ActionRequest request)
    {
        var lead = request.Lead;
        var transition = request.Transition;
        var text = new StringBuilder();
        text.Append(Subject(lead, transition)).Append('\n').Append('\n');
        var scoreName = string.IsNullOrWhiteSpace(transition.ScoreName) ? transition.ScoreId : transition.ScoreName;
        text.Append("Score: ").Append(scoreName).Append('\n');
        text.Append("Now: ").Append(ValueAndLabel(transition.ToValue, transition.ToLabel)).Append('\n');
        text.Append("Before: ").Append(ValueAndLabel(transition.FromValue, transition.FromLabel)).Append('\n');
        text.Append("Cause: ").Append(transition.Cause).Append('\n');
        text.Append("At: ").Append(transition.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append('\n');

        var reasons = TopReasons(transition);
        if (reasons.Count > 0)
        {
            text.Append('\n').Append("Why:").Append('\n');
            foreach (var (group, rules) in reasons)
            {
                text.Append("- ").Append(group.Name).Append(": ").Append(Number(group.Value)).Append('\n');
                foreach (var rule in rules)
                {
                    text.Append("    ").Append(rule.Description).Append(": ").Append(Number(rule.Points)).Append('\n');
                }
            }
        }

        text.Append('\n').Append("Lead:").Append('\n');
        text.Append("Name: ").Append(LeadName(lead)).Append('\n');
        if (!string.IsNullOrWhiteSpace(lead.Email))
        {
            text.Append("Email: ").Append(lead.Email).Append('\n');
        }

        foreach (var (property, label) in DetailProperties)
        {
            if (Property(lead, property) is { } value)
            {
                text.Append(label).Append(": ").Append(value).Append('\n');
            }
        }

        text.Append("Id: ").Append(lead.Id).Append('\n');
        return text.ToString();
    }
}
