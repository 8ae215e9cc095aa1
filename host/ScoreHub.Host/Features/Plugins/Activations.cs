using System.Collections.Concurrent;
using System.Text.Json;
using LiteDB;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Plugins;

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
internal sealed class Activations(Database db)
{
    private readonly ConcurrentDictionary<(string, string), Activation> _active = new();

    public void Load()
    {
        _active.Clear();
        foreach (var doc in db.Activations.FindAll())
        {
            var activation = new Activation(doc["ws"].AsString, doc["plugin"].AsString,
                PluginSettings.Parse(doc["settings"].AsString), Bson.At(doc["updated"]),
                doc.TryGetValue("attention", out var attention) && attention.IsString ? attention.AsString : null);
            _active[(activation.WorkspaceId, activation.PluginId)] = activation;
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
            ["settings"] = System.Text.Json.JsonSerializer.Serialize(activation.Settings.Json),
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
