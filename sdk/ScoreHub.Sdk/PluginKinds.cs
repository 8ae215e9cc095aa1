namespace ScoreHub.Sdk;

/// <summary>What a plugin provides. A plugin may provide several kinds.</summary>
[Flags]
public enum PluginKinds
{
    /// <summary>Provides nothing; a manifest with no kind is refused by the host.</summary>
    None = 0,

    /// <summary>Implements <see cref="ISignalSource"/>: turns inbound payloads into signals.</summary>
    SignalSource = 1,

    /// <summary>Implements <see cref="IScoringStrategy"/>: turns a lead's history into a score.</summary>
    ScoringStrategy = 2,

    /// <summary>Implements <see cref="ILeadAction"/>: reacts to score transitions.</summary>
    Action = 4,
}
