using System.Collections.Concurrent;

namespace ScoreHub.Host.Storage;

/// <summary>
/// One string instance per event type and event property name. A ledger of millions of events repeats a few
/// dozen of them; sharing saves the copies, and the shared instances are the runtime's interned strings, so a
/// scoring plugin that interns its rules' names (the points plugin does) matches an event's type by reference
/// instead of hashing it. Bounded: past <see cref="Capacity"/> distinct names (a source sending arbitrary types),
/// and for names longer than <see cref="MaxLength"/>, a name is kept as it came: correct, only not shared.
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
