using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Points.Tests;

/// <summary>Builds models, leads and events for the tests.</summary>
internal static class Scoring
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static readonly PointsStrategy Plugin = new();

    public static IScoreEvaluator Compile(string json)
    {
        using var document = JsonDocument.Parse(json);
        var report = Plugin.ValidateModel(document.RootElement);
        Assert.True(report.IsValid, string.Join("; ", report.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return Plugin.Compile(document.RootElement);
    }

    public static ValidationReport Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Plugin.ValidateModel(document.RootElement);
    }

    public static LeadEvent Event(string type, DateTimeOffset at, params (string Key, string Value)[] properties) => new()
    {
        Id = $"{type}@{at:O}#{Guid.NewGuid():N}",
        Type = type,
        OccurredAt = at,
        Properties = properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    public static LeadView Lead(IEnumerable<LeadEvent> events, params PropertyChange[] properties) => new()
    {
        Id = "lead_1",
        Events = [.. events.OrderBy(e => e.OccurredAt)],
        Properties = new PropertyHistory(properties),
    };

    public static LeadView Lead(params LeadEvent[] events) => Lead(events, []);

    public static LeadView LeadWith(params PropertyChange[] properties) => Lead([], properties);

    public static IEnumerable<LeadEvent> Times(int count, string type, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => Event(type, at.AddMinutes(i)));

    public static string EventModel(string rule, string extra = "") => $$"""
        { "name": "Test", "kind": "engagement", {{extra}}
          "groups": [ { "name": "G", "rules": [ {{rule}} ] } ] }
        """;
}
