namespace ScoreHub.Plugins.Points;

// The parsed, validated form of a points model. Built once per published model by ModelReader.

internal enum ScoreKind
{
    Engagement,
    Fit,
    Combined,
}

internal enum DecayType
{
    Linear,
    Expire,
    HalfLife,
}

internal sealed record Decay(DecayType Type, double Percent, Duration Every);

internal sealed record Threshold(string Label, double? Below);

internal abstract record Rule(int Index, double Points, string Description);

internal sealed record EventRule(
    int Index,
    double Points,
    string Description,
    string Event,
    IReadOnlyList<Condition> Where,
    double? Max,
    Duration? Timeframe,
    int? AtLeast,
    Duration? Within,
    Decay? Decay) : Rule(Index, Points, Description);

internal sealed record PropertyRule(int Index, double Points, string Description, Condition Condition)
    : Rule(Index, Points, Description);

internal sealed record Group(string Name, double? Limit, bool IsFit, IReadOnlyList<Rule> Rules);

internal sealed record PointsModel(
    string Name,
    ScoreKind Kind,
    double? Limit,
    double? Floor,
    IReadOnlyList<Group> Groups,
    IReadOnlyList<Threshold> Thresholds,
    IReadOnlyList<Threshold> FitThresholds,
    IReadOnlyList<Threshold> EngagementThresholds,
    Condition? Include,
    Condition? Exclude);
