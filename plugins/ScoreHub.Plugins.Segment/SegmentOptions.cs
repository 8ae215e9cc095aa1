using System.Text.Json;
using System.Text.RegularExpressions;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Segment;

/// <summary>The settings a workspace gives when it activates the Segment source, and the built-in event mapping.</summary>
public static partial class SegmentOptions
{
    /// <summary>An object mapping Segment <c>track</c> event names to ScoreHub types (or <c>null</c> to drop them).</summary>
    public const string EventMap = "eventMap";

    /// <summary>The area unmapped <c>track</c> names are put under: <c>&lt;prefix&gt;.&lt;snake_case name&gt;</c>.</summary>
    public const string UnmappedTrackPrefix = "unmappedTrackPrefix";

    /// <summary>When true, <c>track</c> calls whose name is in no mapping are accepted and not stored.</summary>
    public const string IgnoreUnmappedTracks = "ignoreUnmappedTracks";

    /// <summary>The prefix used when <see cref="UnmappedTrackPrefix"/> is not set.</summary>
    public const string DefaultTrackPrefix = "track";

    /// <summary>Segment's limit on one message (a single call, or one item of a batch): 32 KB.</summary>
    public const int MaxEventBytes = 32 * 1024;

    /// <summary>Segment's limit on one batch request: 500 KB.</summary>
    public const int MaxBatchBytes = 500 * 1024;

    /// <summary>The host appends at most this many signals per request.</summary>
    public const int MaxBatchMessages = 1_000;

    /// <summary>The settings as declared in the manifest; none is required.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = EventMap,
            Type = SettingType.Object,
            Description = "Segment track event name -> ScoreHub event type, e.g. {\"Demo Requested\": \"web.form_submitted\"}; "
                + "null drops the event. Matched case-insensitively, on top of the built-in mapping of Segment's semantic events.",
        },
        new SettingDescriptor
        {
            Name = UnmappedTrackPrefix,
            Type = SettingType.String,
            Description = $"Area for track names in no mapping: 'Demo Requested' becomes '<prefix>.demo_requested'. Default '{DefaultTrackPrefix}'.",
        },
        new SettingDescriptor
        {
            Name = IgnoreUnmappedTracks,
            Type = SettingType.Boolean,
            Description = "Accept but do not store track calls whose name is in no mapping. Default false.",
        },
    ];

    /// <summary>
    /// Segment's semantic events (Email and E-commerce specs) and the ScoreHub type each becomes unless the workspace's
    /// <see cref="EventMap"/> says otherwise. Names are matched case-insensitively.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultEventMap { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Email Opened"] = "email.opened",
        ["Email Link Clicked"] = "email.clicked",
        ["Unsubscribed"] = "email.unsubscribed",
        ["Email Marked as Spam"] = "email.spam_reported",
        ["Product Added"] = "cart.updated",
        ["Product Removed"] = "cart.updated",
        ["Cart Viewed"] = "cart.updated",
        ["Checkout Started"] = "checkout.started",
        ["Order Completed"] = "checkout.completed",
    };

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    internal static partial Regex EventTypePattern();

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)*$")]
    internal static partial Regex PrefixPattern();

    internal static ValidationReport Validate(PluginSettings settings)
    {
        var report = settings.CheckAgainst(Descriptors);
        if (!report.IsValid)
        {
            return report;
        }

        var errors = new List<FieldError>();
        if (settings.TryGet(EventMap, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject())
            {
                var field = $"{EventMap}['{entry.Name}']";
                if (entry.Name.Length == 0)
                {
                    errors.Add(new FieldError(field, "Event names in 'eventMap' must not be empty."));
                }
                else if (entry.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }
                else if (entry.Value.ValueKind != JsonValueKind.String
                    || entry.Value.GetString() is not { Length: <= 100 } type || !EventTypePattern().IsMatch(type))
                {
                    errors.Add(new FieldError(field,
                        $"'{field}' must be a ScoreHub event type (lower-case 'area.verb', e.g. 'checkout.completed') or null."));
                }
            }
        }

        var prefix = settings.GetString(UnmappedTrackPrefix);
        if (prefix is not null && (prefix.Length > 50 || !PrefixPattern().IsMatch(prefix)))
        {
            errors.Add(new FieldError(UnmappedTrackPrefix,
                $"'{UnmappedTrackPrefix}' must be lower-case letters, digits, '_' and '.', at most 50 characters (e.g. 'track')."));
        }

        return new ValidationReport(errors);
    }
}

/// <summary>One workspace's settings, read once per request.</summary>
internal sealed class SegmentSettings
{
    private readonly Dictionary<string, string?> _map = new(StringComparer.OrdinalIgnoreCase);

    public SegmentSettings(PluginSettings settings)
    {
        if (settings.TryGet(SegmentOptions.EventMap, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject())
            {
                _map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
            }
        }

        Prefix = settings.GetString(SegmentOptions.UnmappedTrackPrefix) ?? SegmentOptions.DefaultTrackPrefix;
        IgnoreUnmapped = settings.GetBoolean(SegmentOptions.IgnoreUnmappedTracks);
    }

    public string Prefix { get; }

    public bool IgnoreUnmapped { get; }

    /// <summary>
    /// The type a track name becomes: the workspace's mapping, then the built-in one, then the prefix rule.
    /// <c>Dropped</c> when the workspace maps it to null or ignores unmapped names; <c>null</c> type otherwise
    /// means the name has nothing to build a type from.
    /// </summary>
    public (string? Type, bool Dropped) TypeFor(string eventName)
    {
        if (_map.TryGetValue(eventName, out var mapped))
        {
            return (mapped, mapped is null);
        }

        if (SegmentOptions.DefaultEventMap.TryGetValue(eventName, out var builtIn))
        {
            return (builtIn, false);
        }

        if (IgnoreUnmapped)
        {
            return (null, true);
        }

        var snake = SnakeCase.From(eventName, 99 - Prefix.Length);
        return snake.Length == 0 ? (null, false) : ($"{Prefix}.{snake}", false);
    }
}
