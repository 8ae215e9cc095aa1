using ScoreHub.Host.Core.Scoring;

namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// Several <see cref="ScoreChanged"/> of one (score, lead) folded into one: the state before the first and the
/// state after the last. Mutated only under the lock of the map that holds it.
/// </summary>
internal sealed class PendingChange
{
    public required string ScoreId { get; init; }
    public required string ScoreName { get; set; }
    public required string ContactId { get; init; }
    public double? FromValue { get; init; }
    public string? FromLabel { get; init; }
    public double ToValue { get; set; }
    public string? ToLabel { get; set; }
    public DateTimeOffset At { get; set; }
    public string Cause { get; set; } = "";
    public int Count { get; set; }

    /// <summary>Display fields, resolved by the pump (never on the ledger writer's thread).</summary>
    public LeadCard Card { get; set; } = LeadCard.Unknown;

    /// <summary>A record no longer included in the score (excluded by a list) has no label: it leaves hot and warm.</summary>
    public static PendingChange From(ScoreChanged n) => new()
    {
        ScoreId = n.ScoreId,
        ScoreName = n.ScoreName,
        ContactId = n.RecordId,
        FromValue = n.FromValue,
        FromLabel = n.FromLabel,
        ToValue = n.ToValue,
        ToLabel = n.Included ? n.ToLabel : null,
        At = n.At,
        Cause = n.Cause,
        Count = 1,
    };

    public PendingChange Copy() => new()
    {
        ScoreId = ScoreId,
        ScoreName = ScoreName,
        ContactId = ContactId,
        FromValue = FromValue,
        FromLabel = FromLabel,
        ToValue = ToValue,
        ToLabel = ToLabel,
        At = At,
        Cause = Cause,
        Count = Count,
        Card = Card,
    };

    /// <summary>Keeps this change's "from" and takes the later one's "to".</summary>
    public void Absorb(PendingChange later)
    {
        ScoreName = later.ScoreName;
        ToValue = later.ToValue;
        ToLabel = later.ToLabel;
        At = later.At;
        Cause = later.Cause;
        Count += later.Count;
        Card = later.Card;
    }

    public ScoreChangedMessage ToScoreMessage() => new(
        ScoreId, ScoreName, ContactId, Card.Name, Card.Email, Card.Company, Card.Owner,
        ToValue, ToLabel, FromValue, FromLabel, Card.LastTouch, At, Cause, Count);

    public LabelChangedMessage? ToLabelMessage() => string.Equals(FromLabel, ToLabel, StringComparison.Ordinal)
        ? null
        : new LabelChangedMessage(ScoreId, ScoreName, ContactId, Card.Name, Card.Email, Card.Company, Card.Owner,
            ToValue, FromLabel, ToLabel, HotLabel.Kind(FromLabel, ToLabel), At);
}
