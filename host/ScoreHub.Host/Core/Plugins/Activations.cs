using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LiteDB;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>
/// A plugin switched on for one workspace, with its validated settings. <see cref="Attention"/> is set when an upgrade
/// installed a version that rejects these settings: the activation is kept (so nothing is lost) but not called until
/// the workspace activates again with settings the new version accepts.
/// </summary>
internal sealed record Activation(string WorkspaceId, string PluginId, PluginSettings Settings, DateTimeOffset UpdatedAt, string? Attention = null)
{
    public bool Usable => Attention is null;
}

/// <summary>
/// Which plugins each workspace has switched on. Kept in memory and in LiteDB; a change takes effect on the next call,
/// with no restart.
/// </summary>
internal sealed class Activations(Database db, SettingsProtector protector, ILogger<Activations> logger)
{
    private readonly ConcurrentDictionary<(string, string), Activation> _active = new();

    public void Load()
    {
        _active.Clear();
        foreach (var doc in db.Activations.FindAll().ToList())
        {
            var workspaceId = doc["ws"].AsString;
            var pluginId = doc["plugin"].AsString;
            var attention = doc.TryGetValue("attention", out var stored) && stored.IsString ? stored.AsString : null;
            PluginSettings settings;
            var wasPlain = false;
            try
            {
                settings = PluginSettings.Parse(protector.Unprotect(doc["settings"].AsString, out wasPlain));
            }
            catch (CryptographicException ex)
            {
                // Kept, not called: the workspace activates it again with its settings.
                logger.LogError(ex, "The settings of {Plugin} in {Workspace} cannot be decrypted", pluginId, workspaceId);
                settings = PluginSettings.Empty;
                attention = "Its settings cannot be decrypted: the data protection keys (the data directory's 'keys' folder) are missing or changed. Activate it again with its settings.";
            }

            var activation = new Activation(workspaceId, pluginId, settings, Bson.At(doc["updated"]), attention);
            if (wasPlain)
            {
                Save(activation); // written before settings were encrypted: encrypted now
            }

            _active[(workspaceId, pluginId)] = activation;
        }
    }

    public Activation? Find(string workspaceId, string pluginId) => _active.GetValueOrDefault((workspaceId, pluginId));

    /// <summary>Every workspace's activation of one plugin.</summary>
    public IReadOnlyList<Activation> ForPlugin(string pluginId) => [.. _active.Values.Where(a => a.PluginId == pluginId)];

    public IEnumerable<Activation> ForWorkspace(string workspaceId) =>
        _active.Values.Where(a => a.WorkspaceId == workspaceId);

    public void Save(Activation activation)
    {
        db.Activations.Upsert(new BsonDocument
        {
            ["_id"] = activation.WorkspaceId + "/" + activation.PluginId,
            ["ws"] = activation.WorkspaceId,
            ["plugin"] = activation.PluginId,
            ["settings"] = protector.Protect(System.Text.Json.JsonSerializer.Serialize(activation.Settings.Json)),
            ["updated"] = Bson.Ticks(activation.UpdatedAt),
            ["attention"] = activation.Attention is null ? BsonValue.Null : new BsonValue(activation.Attention),
        });
        _active[(activation.WorkspaceId, activation.PluginId)] = activation;
    }

    public bool Remove(string workspaceId, string pluginId)
    {
        db.Activations.Delete(workspaceId + "/" + pluginId);
        return _active.TryRemove((workspaceId, pluginId), out _);
    }
}
