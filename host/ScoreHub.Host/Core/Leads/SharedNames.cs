using System.Collections.Concurrent;


namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// One string instance per event type, event property name and lead property name. A ledger of millions of events
/// and property changes repeats a few dozen of them; sharing saves the copies, and the shared instances are the
/// runtime's interned strings, so a scoring plugin that interns its rules' names (the points plugin does) finds an
/// event's rules, an event property and a lead property by reference instead of hashing or comparing text.
/// Bounded: past <see cref="Capacity"/> distinct names (a source sending arbitrary types), and for names longer than
/// <see cref="MaxLength"/>, a name is kept as it came: correct, only not shared.
/// </summary>
internal static class SharedNames
{
    public const int Capacity = 10_000;
    public const int MaxLength = 200;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static int _count;

    public static string Share(string name)
    {
        if (Names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        if (name.Length > MaxLength || Volatile.Read(ref _count) >= Capacity)
        {
            return name;
        }

        shared = string.Intern(name);
        if (Names.TryAdd(name, shared))
        {
            Interlocked.Increment(ref _count);
        }

        return shared;
    }
}
