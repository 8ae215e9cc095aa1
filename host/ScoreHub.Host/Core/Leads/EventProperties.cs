using System.Collections;
using System.Diagnostics.CodeAnalysis;


namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// A stored event's scalar properties: names and values side by side in one array, names shared
/// (<see cref="SharedNames"/>), in the order they came.
/// </summary>
/// <remarks>
/// Most events carry one to a few properties and the ledger keeps millions of events in memory. A
/// <see cref="Dictionary{TKey,TValue}"/> per event costs about 200 bytes and, per lookup, four dependent memory reads
/// (the dictionary, its buckets, its entries, the value) that mostly miss the CPU cache when a publish walks every
/// lead; this costs about 60 bytes and two (the array lies next to this object). A lookup compares names by reference
/// first (a strategy that interns its names finds them without reading the text), then ordinally. Events with more
/// than <see cref="MaxInline"/> properties keep a dictionary, where a scan would be slower than a hash.
/// </remarks>
internal sealed class EventProperties : IReadOnlyDictionary<string, string>
{
    public const int MaxInline = 16;

    // name0, value0, name1, value1, ...
    private readonly string[] _items;

    private EventProperties(string[] items) => _items = items;

    /// <summary>The properties in their stored form. Names are unique (they come from a dictionary).</summary>
    public static IReadOnlyDictionary<string, string> From(IReadOnlyCollection<KeyValuePair<string, string>> properties)
    {
        var items = new string[properties.Count * 2];
        var i = 0;
        foreach (var (name, value) in properties)
        {
            items[i++] = name;
            items[i++] = value;
        }

        return FromItems(items);
    }

    /// <summary>The properties of an event that has none (shared; never changed).</summary>
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(0, StringComparer.Ordinal);

    /// <summary>
    /// The properties from unique names at even positions, each followed by its value; takes the array over.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromItems(string[] items)
    {
        for (var i = 0; i < items.Length; i += 2)
        {
            items[i] = SharedNames.Share(items[i]);
        }

        return items.Length switch
        {
            0 => Empty,
            <= MaxInline * 2 => new EventProperties(items),
            _ => ToDictionary(items),
        };
    }

    /// <summary>
    /// A copy of stored properties with fresh value strings, allocated now: packed next to the event being
    /// allocated with them (<see cref="ContactRecord"/>). A dictionary (many properties) is kept as it is.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Packed(IReadOnlyDictionary<string, string> properties)
    {
        if (properties is not EventProperties stored)
        {
            return properties.Count == 0 ? Empty : properties;
        }

        var items = new string[stored._items.Length];
        for (var i = 0; i < items.Length; i += 2)
        {
            items[i] = stored._items[i];
            items[i + 1] = new string(stored._items[i + 1].AsSpan());
        }

        return new EventProperties(items);
    }

    public int Count => _items.Length / 2;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No event property '{key}'.");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = _items;
        for (var i = 0; i < items.Length; i += 2)
        {
            if (ReferenceEquals(items[i], key))
            {
                value = items[i + 1];
                return true;
            }
        }

        for (var i = 0; i < items.Length; i += 2)
        {
            if (string.Equals(items[i], key, StringComparison.Ordinal))
            {
                value = items[i + 1];
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i += 2)
        {
            yield return new(_items[i], _items[i + 1]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static Dictionary<string, string> ToDictionary(string[] items)
    {
        var map = new Dictionary<string, string>(items.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i += 2)
        {
            map[items[i]] = items[i + 1];
        }

        return map;
    }
}
