using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests.Support;

/// <summary>Ann Smith turning hot, and the context an action is called with.</summary>
internal static class Sample
{
    /// <summary>The clock when the action runs: 30 s after the transition. Unix seconds 1772442030.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 30, TimeSpan.Zero);

    public const long NowUnixSeconds = 1772442030;

    public const string IdempotencyKey = "trg_hot:lead_1:7";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static LeadSnapshot Ann(IReadOnlyDictionary<string, string>? properties = null) => new()
    {
        Id = "lead_1",
        Email = "ann@example.com",
        Properties = properties ?? new Dictionary<string, string>
        {
            ["firstName"] = "Ann",
            ["lastName"] = "Smith",
            ["company"] = "Acme",
            ["owner"] = "bob@example.com",
        },
    };

    /// <summary>
    /// 65 (warm) to 82 (hot) on an event. Four groups: Sales 30, Fit 28, Marketing 19, Webinars 5; the short
    /// "why" keeps the first three, and at most three non-zero rules of each.
    /// </summary>
    public static ScoreTransition BecameHot(double from = 65, string? fromLabel = "warm", double to = 82, string? toLabel = "hot") => new()
    {
        ScoreId = "lead-score",
        ScoreName = "Lead score",
        FromValue = from,
        FromLabel = fromLabel,
        ToValue = to,
        ToLabel = toLabel,
        At = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)),
        Cause = "event",
        Breakdown =
        [
            Group("Marketing engagement", 19, ("email.opened +2", 4), ("email.clicked +5", 15), ("cta.clicked +6", 0)),
            Group("Sales engagement", 30, ("conversation.started +15", 15), ("meeting.booked +10", 10), ("meeting.completed +20", 0)),
            Group("Webinars", 5, ("webinar.attended +5", 5)),
            Group("Fit", 28, ("jobTitle = CTO +20", 20), ("country = NL +10", 10), ("visited careers page -2", -2), ("industry = software +1", 1)),
            Group("Decayed", 0),
        ],
    };

    public static ActionRequest Request(string parameters, LeadSnapshot? lead = null, ScoreTransition? transition = null, long sequence = 7) => new()
    {
        IdempotencyKey = IdempotencyKey,
        TriggerId = "trg_hot",
        Transition = transition ?? BecameHot(),
        Lead = lead ?? Ann(),
        Parameters = PluginSettings.Parse(parameters),
        Sequence = sequence,
    };

    public static ActionContext Context(string settings) => new()
    {
        WorkspaceId = "ws_1",
        Settings = PluginSettings.Parse(settings),
        Clock = new FakeTimeProvider(Now),
        Logger = NullLogger.Instance,
        Http = Http,
    };

    private static GroupBreakdown Group(string name, double value, params (string Description, double Points)[] rules) => new()
    {
        Name = name,
        Raw = value,
        Value = value,
        Rules = [.. rules.Select((r, i) => new RuleBreakdown { Index = i, Description = r.Description, Points = r.Points })],
    };
}
