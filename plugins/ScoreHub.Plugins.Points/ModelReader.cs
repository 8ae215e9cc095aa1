using System.Globalization;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Points;

/// <summary>
/// Reads a model's JSON into a <see cref="PointsModel"/>, reporting every problem with its JSON path
/// (e.g. <c>groups[1].rules[0].points</c>). One reader serves validation and compilation, so they cannot disagree.
/// </summary>
internal sealed class ModelReader
{
    /// <summary>The largest magnitude of any number in a model (points, limits, thresholds).</summary>
    public const double MaxMagnitude = 1_000_000_000;

    private static readonly string[] Ops = ["eq", "neq", "contains", "gt", "gte", "lt", "lte", "in"];

    private readonly List<FieldError> _errors;

    private ModelReader(List<FieldError> errors) => _errors = errors;

    /// <summary>The model, or <c>null</c> when <paramref name="errors"/> received at least one error.</summary>
    public static PointsModel? Read(JsonElement model, List<FieldError> errors)
    {
        var before = errors.Count;
        var result = new ModelReader(errors).ReadModel(model);
        return errors.Count == before ? result : null;
    }

    private PointsModel? ReadModel(JsonElement model)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            Error("", "The model must be a JSON object.");
            return null;
        }

        var name = OptionalString(model, "name", "name") ?? "";
        var kindText = OptionalString(model, "kind", "kind") ?? "engagement";
        var kind = kindText switch
        {
            "engagement" => ScoreKind.Engagement,
            "fit" => ScoreKind.Fit,
            "combined" => ScoreKind.Combined,
            _ => Fail(ScoreKind.Engagement, "kind", $"'kind' must be 'engagement', 'fit' or 'combined', not '{kindText}'."),
        };
        var limit = OptionalNumber(model, "limit", "limit");
        if (limit <= 0)
        {
            Error("limit", "'limit' must be greater than 0.");
        }

        var floor = OptionalNumber(model, "floor", "floor");
        if (floor is not null && limit is not null && floor > limit)
        {
            Error("floor", "'floor' must not be above 'limit'.");
        }

        var groups = ReadGroups(model);
        var thresholds = ReadThresholds(model, "thresholds");
        var fitThresholds = ReadThresholds(model, "fitThresholds");
        var engagementThresholds = ReadThresholds(model, "engagementThresholds");
        if (kind == ScoreKind.Combined && (fitThresholds.Count == 0) != (engagementThresholds.Count == 0))
        {
            Error(fitThresholds.Count == 0 ? "fitThresholds" : "engagementThresholds",
                "A combined score's grid needs both 'fitThresholds' and 'engagementThresholds'.");
        }

        if (kind != ScoreKind.Combined && (fitThresholds.Count > 0 || engagementThresholds.Count > 0))
        {
            Error(fitThresholds.Count > 0 ? "fitThresholds" : "engagementThresholds",
                "Only combined scores have a fit/engagement grid; use 'thresholds'.");
        }

        var include = model.TryGetProperty("include", out var inc) && inc.ValueKind != JsonValueKind.Null
            ? ReadCondition(inc, "include", allowExists: true)
            : null;
        var exclude = model.TryGetProperty("exclude", out var exc) && exc.ValueKind != JsonValueKind.Null
            ? ReadCondition(exc, "exclude", allowExists: true)
            : null;

        return new PointsModel(name, kind, limit, floor, groups, thresholds, fitThresholds, engagementThresholds, include, exclude);
    }

    private List<Group> ReadGroups(JsonElement model)
    {
        var groups = new List<Group>();
        if (!model.TryGetProperty("groups", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Error("groups", "'groups' must be a non-empty array.");
            return groups;
        }

        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"groups[{i}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "A group must be a JSON object.");
            }
            else
            {
                groups.Add(ReadGroup(element, path, i));
            }

            i++;
        }

        return groups;
    }

    private Group ReadGroup(JsonElement group, string path, int index)
    {
        var name = OptionalString(group, "name", $"{path}.name") ?? $"Group {index + 1}";
        var limit = OptionalNumber(group, "limit", $"{path}.limit");
        if (limit <= 0)
        {
            Error($"{path}.limit", "A group limit must be greater than 0.");
        }

        var decay = ReadDecay(group, path);
        var rules = new List<Rule>();
        if (!group.TryGetProperty("rules", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Error($"{path}.rules", "'rules' must be a non-empty array.");
            return new Group(name, limit, false, rules);
        }

        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var rule = ReadRule(element, $"{path}.rules[{i}]", i, decay);
            if (rule is not null)
            {
                rules.Add(rule);
            }

            i++;
        }

        // Groups of property rules only are the fit part; any event rule makes the group engagement.
        return new Group(name, limit, rules.Count > 0 && rules.All(r => r is PropertyRule), rules);
    }

    private Rule? ReadRule(JsonElement rule, string path, int index, Decay? groupDecay)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            Error(path, "A rule must be a JSON object.");
            return null;
        }

        var points = RequiredNumber(rule, "points", $"{path}.points") ?? 0;
        var hasEvent = rule.TryGetProperty("event", out _);
        var hasProperty = rule.TryGetProperty("property", out _);
        if (hasEvent == hasProperty)
        {
            Error(path, "A rule needs exactly one of 'event' (an event rule) or 'property' (a property rule).");
            return null;
        }

        if (hasProperty)
        {
            var condition = ReadCondition(rule, path, allowExists: true);
            return condition is null ? null : new PropertyRule(index, points, $"{condition} {Signed(points)}", condition);
        }

        var eventType = RequiredString(rule, "event", $"{path}.event") ?? "";
        var where = ReadWhere(rule, path);
        var max = OptionalNumber(rule, "max", $"{path}.max");
        if (max <= 0)
        {
            Error($"{path}.max", "'max' must be greater than 0; it caps the size of the rule's total.");
        }

        var timeframe = OptionalDuration(rule, "timeframe", $"{path}.timeframe");
        var atLeast = OptionalNumber(rule, "atLeast", $"{path}.atLeast");
        if (atLeast is { } n && (n < 1 || n != Math.Floor(n) || n > int.MaxValue))
        {
            Error($"{path}.atLeast", "'atLeast' must be a whole number of at least 1.");
        }

        var within = OptionalDuration(rule, "within", $"{path}.within");
        if (within is not null && atLeast is null)
        {
            Error($"{path}.within", "'within' needs 'atLeast': it is the window the events must fall in.");
        }

        var decay = ReadDecay(rule, path) ?? groupDecay;
        var description = atLeast is { } count
            ? $"{eventType} at least {count.ToString(CultureInfo.InvariantCulture)}x{(within is { } w ? $" within {w}" : "")} {Signed(points)}"
            : $"{eventType} {Signed(points)}";
        return new EventRule(index, points, description, eventType, where, max, timeframe,
            atLeast is { } a && a >= 1 && a <= int.MaxValue ? (int)a : null, within, decay);
    }

    private List<Condition> ReadWhere(JsonElement rule, string path)
    {
        var conditions = new List<Condition>();
        if (!rule.TryGetProperty("where", out var where) || where.ValueKind == JsonValueKind.Null)
        {
            return conditions;
        }

        if (where.ValueKind != JsonValueKind.Object)
        {
            Error($"{path}.where", "'where' must be an object of property name to {op: value}.");
            return conditions;
        }

        foreach (var property in where.EnumerateObject())
        {
            var propertyPath = $"{path}.where.{property.Name}";
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.EnumerateObject().Any())
            {
                Error(propertyPath, "Each 'where' entry must be an object such as {\"contains\": \"/pricing\"}.");
                continue;
            }

            foreach (var test in property.Value.EnumerateObject())
            {
                var testPath = $"{propertyPath}.{test.Name}";
                var condition = BuildCondition(property.Name, test.Name, test.Value, testPath, testPath, allowExists: false);
                if (condition is not null)
                {
                    conditions.Add(condition);
                }
            }
        }

        return conditions;
    }

    // A property filter {"property", "op", "value"}: property rules, include and exclude.
    private Condition? ReadCondition(JsonElement element, string path, bool allowExists)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(path, "A property filter must be an object with 'property', 'op' and 'value'.");
            return null;
        }

        var property = RequiredString(element, "property", $"{path}.property");
        var op = RequiredString(element, "op", $"{path}.op");
        if (property is null || op is null)
        {
            return null;
        }

        var hasValue = element.TryGetProperty("value", out var value);
        if (!hasValue && op != "exists")
        {
            Error($"{path}.value", $"'value' is required for op '{op}'.");
            return null;
        }

        return BuildCondition(property, op, value, $"{path}.value", $"{path}.op", allowExists);
    }

    private Condition? BuildCondition(string property, string op, JsonElement value, string valuePath, string opPath, bool allowExists)
    {
        if (op == "exists" && allowExists)
        {
            var exists = value.ValueKind switch
            {
                JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => Fail(true, valuePath, "'exists' takes true, false or no value."),
            };
            return new Condition(property, ConditionOp.Exists, "", [], exists);
        }

        if (!Ops.Contains(op, StringComparer.Ordinal))
        {
            var known = string.Join(", ", allowExists ? [.. Ops, "exists"] : Ops);
            Error(opPath, $"Unknown op '{op}'; use one of {known}.");
            return null;
        }

        var kind = Enum.Parse<ConditionOp>(op, ignoreCase: true);
        if (kind == ConditionOp.In)
        {
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => Scalar(v) is null))
            {
                Error(valuePath, "'in' takes an array of strings, numbers or booleans.");
                return null;
            }

            return new Condition(property, kind, "", [.. value.EnumerateArray().Select(v => Scalar(v)!)], true);
        }

        var scalar = Scalar(value);
        if (scalar is null)
        {
            Error(valuePath, $"'{op}' takes a string, number or boolean.");
            return null;
        }

        return new Condition(property, kind, scalar, [], true);
    }

    private Decay? ReadDecay(JsonElement owner, string path)
    {
        if (!owner.TryGetProperty("decay", out var decay) || decay.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        path = $"{path}.decay";
        if (decay.ValueKind != JsonValueKind.Object)
        {
            Error(path, "'decay' must be an object such as {\"percent\": 50, \"every\": \"1 month\"}.");
            return null;
        }

        var typeText = OptionalString(decay, "type", $"{path}.type") ?? "linear";
        DecayType? type = typeText switch
        {
            "linear" => DecayType.Linear,
            "expire" => DecayType.Expire,
            "halfLife" => DecayType.HalfLife,
            _ => Fail<DecayType?>(null, $"{path}.type", $"Unknown decay type '{typeText}'; use linear, expire or halfLife."),
        };
        var every = RequiredDuration(decay, "every", $"{path}.every");
        double percent = 0;
        if (type == DecayType.Linear)
        {
            percent = RequiredNumber(decay, "percent", $"{path}.percent") ?? 0;
            if (percent is <= 0 or > 100)
            {
                Error($"{path}.percent", "'percent' must be above 0 and at most 100.");
            }
        }

        return type is { } t && every is { } e ? new Decay(t, percent, e) : null;
    }

    private List<Threshold> ReadThresholds(JsonElement model, string name)
    {
        var thresholds = new List<Threshold>();
        if (!model.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return thresholds;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Error(name, $"'{name}' must be a non-empty array of {{\"label\", \"below\"}}, the last without 'below'.");
            return thresholds;
        }

        var count = array.GetArrayLength();
        double? previous = null;
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"{name}[{i}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "A threshold must be an object with 'label' and 'below'.");
                i++;
                continue;
            }

            var label = RequiredString(element, "label", $"{path}.label");
            var below = OptionalNumber(element, "below", $"{path}.below");
            var last = i == count - 1;
            if (!last && below is null)
            {
                Error($"{path}.below", "Every threshold but the last needs 'below'.");
            }
            else if (last && element.TryGetProperty("below", out _))
            {
                Error($"{path}.below", "The last threshold takes every higher value; leave out 'below'.");
            }
            else if (below is not null && previous is not null && below <= previous)
            {
                Error($"{path}.below", "'below' must increase from one threshold to the next.");
            }

            previous = below ?? previous;
            if (label is not null)
            {
                thresholds.Add(new Threshold(label, below));
            }

            i++;
        }

        return thresholds;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string Signed(double points) => points.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture);

    private string? RequiredString(JsonElement owner, string name, string path)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Error(path, $"'{name}' is required.");
            return null;
        }

        return StringValue(value, name, path);
    }

    private string? OptionalString(JsonElement owner, string name, string path) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? StringValue(value, name, path) : null;

    private string? StringValue(JsonElement value, string name, string path)
    {
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(path, $"'{name}' must be a non-empty string.");
            return null;
        }

        return value.GetString();
    }

    private double? RequiredNumber(JsonElement owner, string name, string path)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Error(path, $"'{name}' is required.");
            return null;
        }

        return NumberValue(value, name, path);
    }

    private double? OptionalNumber(JsonElement owner, string name, string path) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? NumberValue(value, name, path) : null;

    private double? NumberValue(JsonElement value, string name, string path)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error(path, $"'{name}' must be a number.");
            return null;
        }

        // Bounded so that any sum of contributions stays finite: an infinite score cannot be written as JSON.
        if (Math.Abs(number) > MaxMagnitude)
        {
            Error(path, $"'{name}' must be between -{MaxMagnitude:0} and {MaxMagnitude:0}.");
            return null;
        }

        return number;
    }

    private Duration? RequiredDuration(JsonElement owner, string name, string path)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Error(path, $"'{name}' is required.");
            return null;
        }

        return DurationValue(value, name, path);
    }

    private Duration? OptionalDuration(JsonElement owner, string name, string path) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? DurationValue(value, name, path) : null;

    private Duration? DurationValue(JsonElement value, string name, string path)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        if (value.ValueKind != JsonValueKind.String || !Duration.TryParse(text, out var duration))
        {
            Error(path, $"'{name}' must be {Duration.Format}, not {text}.");
            return null;
        }

        return duration;
    }

    private T Fail<T>(T fallback, string path, string message)
    {
        Error(path, message);
        return fallback;
    }

    private void Error(string path, string message) => _errors.Add(new FieldError(path, message));
}
