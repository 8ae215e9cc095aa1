using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Owner.OwnerAction))]

namespace ScoreHub.Plugins.Owner;

/// <summary>
/// Pure decisions on the lead as of the transition: no I/O, no state. The host applies the returned property
/// changes through its normal write path, so a retry returns the same change (the rotation comes from
/// <see cref="ActionRequest.Sequence"/>, which a retry keeps).
/// </summary>
internal sealed class OwnerAction : ILeadAction
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.owner",
        Name = "Owner and lifecycle",
        Version = typeof(OwnerAction).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.Action,
        Description = "Assigns an owner to unassigned leads (round robin or by territory) and moves the lifecycle stage, forward only by default.",
        Settings = OwnerOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(OwnerOptions.Descriptors);
        var errors = new List<FieldError>();
        if (ReadStrings(settings, OwnerOptions.Owners, out _) is { } ownersProblem)
        {
            errors.Add(new(OwnerOptions.Owners, $"'{OwnerOptions.Owners}' {ownersProblem}"));
        }

        if (ReadStrings(settings, OwnerOptions.Stages, out var stages) is { } stagesProblem)
        {
            errors.Add(new(OwnerOptions.Stages, $"'{OwnerOptions.Stages}' {stagesProblem}"));
        }
        else if (stages is not null && stages.Distinct(StringComparer.OrdinalIgnoreCase).Count() != stages.Count)
        {
            errors.Add(new(OwnerOptions.Stages, $"'{OwnerOptions.Stages}' must not name a stage twice."));
        }

        return report.Merge(new ValidationReport(errors));
    }

    public ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var outcome = request.Parameters.GetString(OwnerOptions.Action) switch
        {
            "assign" => Assign(request, context.Settings),
            "lifecycle" => Lifecycle(request, context.Settings),
            _ => ParameterErrors.Parameter(OwnerOptions.Action, "must be 'assign' or 'lifecycle'."),
        };
        return ValueTask.FromResult(outcome);
    }

    internal static ActionOutcome Assign(ActionRequest request, PluginSettings settings)
    {
        var parameters = request.Parameters;
        var ownerProperty = parameters.GetString(OwnerOptions.OwnerProperty) ?? OwnerOptions.DefaultOwnerProperty;
        if (Value(request.Lead, ownerProperty) is not null)
        {
            return ActionOutcome.Success();
        }

        if (ReadStrings(parameters, OwnerOptions.Owners, out var owners) is { } ownersProblem)
        {
            return ParameterErrors.Parameter(OwnerOptions.Owners, ownersProblem);
        }

        owners ??= ReadStrings(settings, OwnerOptions.Owners, out var fromSettings) is null ? fromSettings : null;

        if (parameters.GetString(OwnerOptions.TerritoryProperty) is { Length: > 0 } territoryProperty)
        {
            if (!parameters.TryGet(OwnerOptions.Territories, out var territories) || territories.ValueKind != JsonValueKind.Object
                || territories.EnumerateObject().Any(t => t.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(t.Value.GetString())))
            {
                return ParameterErrors.Parameter(OwnerOptions.Territories, "must be an object from territory value to owner, e.g. {\"NL\":\"ann@example.com\"}.");
            }

            if (Value(request.Lead, territoryProperty) is { } territory)
            {
                foreach (var entry in territories.EnumerateObject())
                {
                    if (string.Equals(entry.Name.Trim(), territory, StringComparison.OrdinalIgnoreCase))
                    {
                        return SetOwner(ownerProperty, entry.Value.GetString()!);
                    }
                }
            }

            if (parameters.GetString(OwnerOptions.FallbackOwner) is { Length: > 0 } fallback)
            {
                return SetOwner(ownerProperty, fallback);
            }

            if (owners is not { Count: > 0 })
            {
                return ParameterErrors.Parameter(OwnerOptions.Territories,
                    $"no territory matches the lead's '{territoryProperty}', and neither '{OwnerOptions.FallbackOwner}' nor '{OwnerOptions.Owners}' is set.");
            }
        }

        if (owners is not { Count: > 0 })
        {
            return ParameterErrors.Parameter(OwnerOptions.Owners, $"is required (or the '{OwnerOptions.Owners}' setting, or a '{OwnerOptions.TerritoryProperty}').");
        }

        return SetOwner(ownerProperty, owners[RoundRobinIndex(request.Sequence, owners.Count)]);
    }

    /// <summary><c>(sequence - 1) mod n</c>, never negative (a 1.0 host sends sequence 0).</summary>
    internal static int RoundRobinIndex(long sequence, int count) => (int)((((sequence - 1) % count) + count) % count);

    internal static ActionOutcome Lifecycle(ActionRequest request, PluginSettings settings)
    {
        var parameters = request.Parameters;
        if (parameters.GetString(OwnerOptions.Stage) is not { } requested || string.IsNullOrWhiteSpace(requested))
        {
            return ParameterErrors.Parameter(OwnerOptions.Stage, "is required.");
        }

        var property = parameters.GetString(OwnerOptions.Property) ?? OwnerOptions.DefaultStageProperty;
        var stages = ReadStrings(settings, OwnerOptions.Stages, out var configured) is null && configured is { Count: > 0 }
            ? configured
            : OwnerOptions.DefaultStages;
        var target = IndexOf(stages, requested);
        var stage = target >= 0 ? stages[target] : requested.Trim();
        var current = Value(request.Lead, property);

        if (current is not null && string.Equals(current, stage, StringComparison.OrdinalIgnoreCase))
        {
            return ActionOutcome.Success();
        }

        if (parameters.GetBoolean(OwnerOptions.ForwardOnly, fallback: true))
        {
            if (target < 0)
            {
                return ParameterErrors.Parameter(OwnerOptions.Stage,
                    $"'{requested}' is not one of the stages ({string.Join(", ", stages)}); forward-only moves need it listed.");
            }

            // A current stage outside the list cannot be ordered, so it is not protected from being replaced.
            if (current is not null && IndexOf(stages, current) >= target)
            {
                return ActionOutcome.Success();
            }
        }

        return ActionOutcome.Success(new Dictionary<string, string?> { [property] = stage });
    }

    private static ActionOutcome SetOwner(string property, string owner) =>
        ActionOutcome.Success(new Dictionary<string, string?> { [property] = owner.Trim() });

    private static int IndexOf(IReadOnlyList<string> stages, string stage)
    {
        for (var i = 0; i < stages.Count; i++)
        {
            if (string.Equals(stages[i], stage.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? Value(LeadSnapshot lead, string property) =>
        lead.Properties.TryGetValue(property, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>An optional array of non-blank strings: <c>null</c> when fine (list is null when absent), else the problem.</summary>
    private static string? ReadStrings(PluginSettings source, string name, out IReadOnlyList<string>? values)
    {
        values = null;
        if (!source.TryGet(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array
            || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString())))
        {
            return "must be an array of non-empty strings.";
        }

        values = [.. element.EnumerateArray().Select(e => e.GetString()!.Trim())];
        return null;
    }
}
