using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiteDB;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Actions;

/// <summary>One action a trigger runs: an action plugin and its per-trigger parameters.</summary>
internal sealed record TriggerAction(string Plugin, JsonElement Parameters);

/// <summary>A property condition on the record (owner empty, lifecycle stage is lead, ...).</summary>
internal sealed record TriggerFilter(string Property, string Op, string? Value)
{
    public bool Matches(string? actual) => Op switch
    {
        "empty" => string.IsNullOrEmpty(actual),
        "notEmpty" => !string.IsNullOrEmpty(actual),
        "eq" => string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase),
        "neq" => !string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}

/// <summary>
/// When a score transition fires actions. Exactly one of <see cref="LabelTo"/>/<see cref="LabelFrom"/> (a label
/// change) or <see cref="Crosses"/> (a value crossed upward or downward). Edge-triggered: it fires on the
/// transition, not while the state holds, so a lead that falls back and rises again fires again.
/// </summary>
internal sealed record Trigger(
    string WorkspaceId, string Id, string ScoreId, bool Enabled,
    string? LabelFrom, string? LabelTo, double? Crosses, bool Upward,
    IReadOnlyList<TriggerFilter> Filters, TimeSpan? Cooldown, bool OnPublish, IReadOnlyList<TriggerAction> Actions, JsonElement Definition)
{
    /// <summary>Whether this transition is the edge the trigger waits for.</summary>
    public bool Fires(ScoreChanged change)
    {
        if (!Enabled || change.ScoreId != ScoreId || (change.Cause == "publish" && !OnPublish) ||
            (change.Cause == "restart" && change.FromValue is null))
        {
            // A re-evaluation of history never spams reps unless asked; a restart without a previous state has no edge.
            return false;
        }

        if (Crosses is { } line)
        {
            var before = change.FromValue ?? double.NegativeInfinity;
            return Upward ? before < line && change.ToValue >= line : before >= line && change.ToValue < line;
        }

        if (!change.LabelChanged)
        {
            return false;
        }

        return (LabelTo is null || Same(change.ToLabel, LabelTo)) && (LabelFrom is null || Same(change.FromLabel, LabelFrom));
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Triggers per workspace, validated on save and kept in memory for the score-change path.</summary>
internal sealed partial class Triggers(Database db, PluginCatalog catalog, Activations activations, SettingsProtector protector, ILogger<Triggers> logger)
{
    private readonly Dictionary<string, Dictionary<string, Trigger>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private ILiteCollection<BsonDocument> Collection => db.Lite.GetCollection("triggers");

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    public void Load()
    {
        foreach (var doc in Collection.FindAll().ToList())
        {
            string text;
            bool wasPlain;
            try
            {
                text = protector.Unprotect(doc["json"].AsString, out wasPlain);
            }
            catch (CryptographicException ex)
            {
                logger.LogError(ex, "Trigger {Trigger} of {Workspace} cannot be decrypted (the data directory's 'keys' folder is missing or changed); it is not loaded", doc["tid"].AsString, doc["ws"].AsString);
                continue;
            }

            using var json = JsonDocument.Parse(text);
            var errors = new Dictionary<string, string[]>();
            if (Parse(doc["ws"].AsString, doc["tid"].AsString, json.RootElement, errors, checkPlugins: false) is { } trigger)
            {
                if (wasPlain)
                {
                    Store(trigger.WorkspaceId, trigger.Id, text); // written before triggers were encrypted: encrypted now
                }

                Put(trigger);
            }
        }
    }

    public IReadOnlyList<Trigger> ForScore(string workspaceId, string scoreId)
    {
        lock (_lock)
        {
            return _byWorkspace.TryGetValue(workspaceId, out var triggers)
                ? [.. triggers.Values.Where(t => t.ScoreId == scoreId)]
                : [];
        }
    }

    public IReadOnlyList<Trigger> List(string workspaceId)
    {
        lock (_lock)
        {
            return _byWorkspace.TryGetValue(workspaceId, out var triggers)
                ? [.. triggers.Values.OrderBy(t => t.Id, StringComparer.Ordinal)]
                : [];
        }
    }

    public Trigger? Find(string workspaceId, string id)
    {
        lock (_lock)
        {
            return _byWorkspace.GetValueOrDefault(workspaceId)?.GetValueOrDefault(id);
        }
    }

    public Trigger Save(string workspaceId, string id, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IdPattern().IsMatch(id))
        {
            errors["id"] = ["A trigger id is 1-64 lower-case letters, digits, '-' or '_'."];
        }

        var trigger = Parse(workspaceId, id, body, errors, checkPlugins: true);
        if (errors.Count > 0 || trigger is null)
        {
            throw new RequestValidationException(errors, "The trigger is invalid; nothing was saved.");
        }

        Store(workspaceId, id, body.GetRawText());
        Put(trigger);
        return trigger;
    }

    private void Store(string workspaceId, string id, string json) => Collection.Upsert(new BsonDocument
    {
        ["_id"] = workspaceId + "/" + id,
        ["ws"] = workspaceId,
        ["tid"] = id,
        ["json"] = protector.Protect(json),
    });

    public bool Delete(string workspaceId, string id)
    {
        lock (_lock)
        {
            _byWorkspace.GetValueOrDefault(workspaceId)?.Remove(id);
        }

        return Collection.Delete(workspaceId + "/" + id);
    }

    private void Put(Trigger trigger)
    {
        lock (_lock)
        {
            if (!_byWorkspace.TryGetValue(trigger.WorkspaceId, out var triggers))
            {
                _byWorkspace[trigger.WorkspaceId] = triggers = new Dictionary<string, Trigger>(StringComparer.Ordinal);
            }

            triggers[trigger.Id] = trigger;
        }
    }

    private Trigger? Parse(string workspaceId, string id, JsonElement body, Dictionary<string, string[]> errors, bool checkPlugins)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["A trigger is a JSON object."];
            return null;
        }

        var score = Text(body, "score");
        if (string.IsNullOrEmpty(score))
        {
            errors["score"] = ["'score' (the score model id) is required."];
        }

        string? from = null, to = null;
        double? crosses = null;
        var upward = true;
        if (!body.TryGetProperty("when", out var when) || when.ValueKind != JsonValueKind.Object)
        {
            errors["when"] = ["'when' is required: {\"label\": {\"to\": \"hot\"}}, {\"label\": {\"from\": \"hot\"}} or {\"crosses\": {\"value\": 50, \"direction\": \"up\"}}."];
        }
        else if (when.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Object)
        {
            from = Text(label, "from");
            to = Text(label, "to");
            if (from is null && to is null)
            {
                errors["when.label"] = ["A label trigger needs 'from', 'to' or both."];
            }
        }
        else if (when.TryGetProperty("crosses", out var cross) && cross.ValueKind == JsonValueKind.Object)
        {
            if (cross.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var value) && double.IsFinite(value))
            {
                crosses = value;
            }
            else
            {
                errors["when.crosses.value"] = ["'value' must be a number (a finite one)."];
            }

            var direction = Text(cross, "direction") ?? "up";
            if (direction is not ("up" or "down"))
            {
                errors["when.crosses.direction"] = ["'direction' must be 'up' or 'down'."];
            }

            upward = direction == "up";
        }
        else
        {
            errors["when"] = ["'when' must have 'label' or 'crosses'."];
        }

        var filters = new List<TriggerFilter>();
        if (body.TryGetProperty("filter", out var filterArray) && filterArray.ValueKind != JsonValueKind.Null)
        {
            if (filterArray.ValueKind != JsonValueKind.Array)
            {
                errors["filter"] = ["'filter' must be an array of {property, op, value}."];
            }
            else
            {
                var i = 0;
                foreach (var f in filterArray.EnumerateArray())
                {
                    var path = $"filter[{i++}]";
                    var property = f.ValueKind == JsonValueKind.Object ? Text(f, "property") : null;
                    var op = f.ValueKind == JsonValueKind.Object ? Text(f, "op") ?? "eq" : null;
                    if (string.IsNullOrEmpty(property))
                    {
                        errors[path + ".property"] = ["'property' is required."];
                        continue;
                    }

                    if (op is not ("eq" or "neq" or "empty" or "notEmpty"))
                    {
                        errors[path + ".op"] = ["'op' must be 'eq', 'neq', 'empty' or 'notEmpty'."];
                        continue;
                    }

                    var value = f.TryGetProperty("value", out var fv) ? EventsText(fv) : null;
                    if (op is "eq" or "neq" && value is null)
                    {
                        errors[path + ".value"] = [$"'{op}' needs a 'value'."];
                        continue;
                    }

                    filters.Add(new TriggerFilter(property, op, value));
                }
            }
        }

        TimeSpan? cooldown = null;
        if (Text(body, "cooldown") is { } cooldownText)
        {
            cooldown = ParseDuration(cooldownText);
            if (cooldown is null)
            {
                errors["cooldown"] = ["'cooldown' must be like '30 minutes', '2 hours' or '1 day'."];
            }
        }

        var actions = new List<TriggerAction>();
        if (!body.TryGetProperty("actions", out var actionArray) || actionArray.ValueKind != JsonValueKind.Array || actionArray.GetArrayLength() == 0)
        {
            errors["actions"] = ["'actions' must be a non-empty array of {plugin, parameters}."];
        }
        else
        {
            var i = 0;
            foreach (var a in actionArray.EnumerateArray())
            {
                var path = $"actions[{i++}]";
                var plugin = a.ValueKind == JsonValueKind.Object ? Text(a, "plugin") : null;
                if (string.IsNullOrEmpty(plugin))
                {
                    errors[path + ".plugin"] = ["'plugin' (an action plugin id) is required."];
                    continue;
                }

                if (checkPlugins && catalog.Find(plugin)?.Instance is not ILeadAction)
                {
                    errors[path + ".plugin"] = [$"No action plugin '{plugin}' is loaded."];
                    continue;
                }

                if (checkPlugins && activations.Find(workspaceId, plugin) is null)
                {
                    errors[path + ".plugin"] = [$"The action plugin '{plugin}' is not active in this workspace; activate it first."];
                    continue;
                }

                var parameters = a.TryGetProperty("parameters", out var p) && p.ValueKind != JsonValueKind.Null ? p : default;
                if (parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
                {
                    errors[path + ".parameters"] = ["'parameters' must be a JSON object."];
                    continue;
                }

                actions.Add(new TriggerAction(plugin, parameters.ValueKind == JsonValueKind.Object ? parameters.Clone() : EmptyObject));
            }
        }

        var enabled = !body.TryGetProperty("enabled", out var e) || e.ValueKind != JsonValueKind.False;
        var onPublish = body.TryGetProperty("onPublish", out var op2) && op2.ValueKind == JsonValueKind.True;
        return errors.Count > 0
            ? null
            : new Trigger(workspaceId, id, score!, enabled, from, to, crosses, upward, filters, cooldown, onPublish, actions, body.Clone());
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? EventsText(JsonElement value) => EventBatchParser.ToText(value);

    /// <summary>"30 minutes", "2 hours", "1 day", "1 week".</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return parts[1].TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(n),
            "hour" => TimeSpan.FromHours(n),
            "day" => TimeSpan.FromDays(n),
            "week" => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }
}
