using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Owner;

/// <summary>The workspace settings and the per-trigger parameters of the Owner action.</summary>
public static class OwnerOptions
{
    /// <summary>Setting and parameter: the owners to rotate over (the parameter wins).</summary>
    public const string Owners = "owners";

    /// <summary>Setting: the lifecycle stages, lowest first, for forward-only moves.</summary>
    public const string Stages = "stages";

    /// <summary>Parameter: <c>assign</c> or <c>lifecycle</c>.</summary>
    public const string Action = "action";

    /// <summary>Parameter (assign): the lead property holding the owner; default <c>owner</c>.</summary>
    public const string OwnerProperty = "ownerProperty";

    /// <summary>Parameter (assign): the lead property that decides the territory, e.g. <c>country</c>.</summary>
    public const string TerritoryProperty = "territoryProperty";

    /// <summary>Parameter (assign): a JSON object from territory value to owner.</summary>
    public const string Territories = "territories";

    /// <summary>Parameter (assign): the owner when no territory matches.</summary>
    public const string FallbackOwner = "fallbackOwner";

    /// <summary>Parameter (lifecycle): the stage to set.</summary>
    public const string Stage = "stage";

    /// <summary>Parameter (lifecycle): the lead property holding the stage; default <c>lifecycleStage</c>.</summary>
    public const string Property = "property";

    /// <summary>Parameter (lifecycle): never move a lead to an earlier stage; default <c>true</c>.</summary>
    public const string ForwardOnly = "forwardOnly";

    /// <summary>The default owner property.</summary>
    public const string DefaultOwnerProperty = "owner";

    /// <summary>The default lifecycle stage property.</summary>
    public const string DefaultStageProperty = "lifecycleStage";

    /// <summary>The stages when the workspace names none: the lifecycle HubSpot uses, with MQL and SQL short.</summary>
    public static IReadOnlyList<string> DefaultStages { get; } = ["subscriber", "lead", "MQL", "SQL", "opportunity", "customer", "evangelist"];

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new() { Name = Owners, Type = SettingType.Array, Description = "Owners (e.g. rep email addresses) to rotate over when a trigger names none." },
        new() { Name = Stages, Type = SettingType.Array, Description = "Lifecycle stages, lowest first, for forward-only stage changes. Default: subscriber, lead, MQL, SQL, opportunity, customer, evangelist." },
    ];
}
