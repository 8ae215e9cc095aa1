using System.Collections.Concurrent;

namespace ScoreHub.Plugins.Mailgun;

/// <summary>
/// Remembers the signature tokens each workspace has seen until their signature would be refused as stale anyway,
/// so a captured signature cannot be reused with another body. Bounded: each workspace keeps at most
/// <see cref="DefaultCapacity"/> tokens and forgets the oldest first. In memory only, so a restart forgets everything;
/// the staleness window bounds what it can forget (a signature older than the window is refused regardless).
/// Thread-safe: one lock per workspace.
/// </summary>
internal sealed class TokenReplayCache
{
    /// <summary>Tokens kept per workspace; far more than Mailgun sends within a five-minute window for most senders.</summary>
    public const int DefaultCapacity = 50_000;

    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, WorkspaceTokens> _workspaces = new(StringComparer.Ordinal);

    public TokenReplayCache(int capacity = DefaultCapacity) => _capacity = capacity;

    /// <summary>What a token's use was.</summary>
    public enum Use
    {
        /// <summary>Never seen: now remembered.</summary>
        First,

        /// <summary>Seen with exactly the same body: a resend of the same delivery, harmless (the ledger dedupes it).</summary>
        SameDelivery,

        /// <summary>Seen with a different body: a captured signature reused.</summary>
        Replayed,
    }

    /// <summary>Records the token's use, remembering it until <paramref name="forgetAt"/>.</summary>
    public Use Record(string workspaceId, string token, byte[] bodyHash, DateTimeOffset now, DateTimeOffset forgetAt) =>
        _workspaces.GetOrAdd(workspaceId, _ => new WorkspaceTokens(_capacity)).Record(token, bodyHash, now, forgetAt);

    private sealed class WorkspaceTokens(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (byte[] BodyHash, DateTimeOffset ForgetAt)> _tokens = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public Use Record(string token, byte[] bodyHash, DateTimeOffset now, DateTimeOffset forgetAt)
        {
            lock (_lock)
            {
                ForgetOldest(now, room: false);
                if (_tokens.TryGetValue(token, out var seen) && seen.ForgetAt > now)
                {
                    return seen.BodyHash.AsSpan().SequenceEqual(bodyHash) ? Use.SameDelivery : Use.Replayed;
                }

                ForgetOldest(now, room: true);
                if (!_tokens.ContainsKey(token))
                {
                    _order.Enqueue(token);
                }

                _tokens[token] = (bodyHash, forgetAt);
                return Use.First;
            }
        }

        /// <summary>Forgets from the oldest: expired tokens, and when <paramref name="room"/> is asked for, live ones beyond capacity.</summary>
        private void ForgetOldest(DateTimeOffset now, bool room)
        {
            while (_order.TryPeek(out var oldest)
                && ((room && _tokens.Count >= capacity) || !_tokens.TryGetValue(oldest, out var entry) || entry.ForgetAt <= now))
            {
                _order.Dequeue();
                _tokens.Remove(oldest);
            }
        }
    }
}
