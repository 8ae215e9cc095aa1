using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core.Workspaces;

/// <summary>A verified key's meaning.</summary>
internal sealed record KeyRecord(KeyKind Kind, string? WorkspaceId);

/// <summary>
/// Issues and verifies API keys. Keys are 256-bit random strings, so a single SHA-256 is enough to store them
/// (no slow KDF needed: there is nothing to brute-force); only hashes are written to disk or kept in memory.
/// </summary>
internal sealed class KeyStore(Database db, IOptions<ScoreHubOptions> options, ILogger<KeyStore> logger)
{
    private static readonly Dictionary<KeyKind, string> Prefixes = new()
    {
        [KeyKind.Admin] = "shk_admin_",
        [KeyKind.Secret] = "shk_secret_",
        [KeyKind.Ingest] = "shk_ingest_",
        [KeyKind.Feed] = "shk_feed_",
    };

    private readonly ConcurrentDictionary<string, KeyRecord> _byHash = new(StringComparer.Ordinal);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string NewKey(KeyKind kind) =>
        Prefixes[kind] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', 'A').Replace('/', 'B');

    public KeyRecord? Verify(string key) => _byHash.GetValueOrDefault(Hash(key));

    /// <summary>Loads stored key hashes and makes sure there is an admin key.</summary>
    public void Load()
    {
        _byHash.Clear();
        foreach (var doc in db.Keys.FindAll())
        {
            _byHash[doc["_id"].AsString] = new KeyRecord(Enum.Parse<KeyKind>(doc["kind"].AsString), doc["ws"].AsString);
        }

        _byHash[Hash(AdminKey())] = new KeyRecord(KeyKind.Admin, null);
    }

    /// <summary>Issues a key and stores its hash; the raw key is returned once and never kept.</summary>
    public string Issue(KeyKind kind, string workspaceId, DateTimeOffset now)
    {
        var key = NewKey(kind);
        var hash = Hash(key);
        db.Keys.Insert(new BsonDocument
        {
            ["_id"] = hash,
            ["ws"] = workspaceId,
            ["kind"] = kind.ToString(),
            ["created"] = Bson.Ticks(now),
        });
        _byHash[hash] = new KeyRecord(kind, workspaceId);
        return key;
    }

    /// <summary>Revokes every key of a workspace (used when the demo workspace is re-issued).</summary>
    public void RevokeAll(string workspaceId)
    {
        db.Keys.DeleteMany(Query.EQ("ws", workspaceId));
        foreach (var (hash, record) in _byHash)
        {
            if (record.WorkspaceId == workspaceId)
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }

    private string AdminKey()
    {
        var configured = options.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        var path = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "admin.key"));
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var key = NewKey(KeyKind.Admin);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("No ScoreHub:AdminKey configured; generated one into {Path} (readable by this user only)", path);
        return key;
    }
}
