using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Core.Workspaces;

namespace ScoreHub.Host;

/// <summary>
/// What the host loads from its data directory before it serves, in order. Each step says what it needs from the
/// steps before it; a step that needs none says so.
/// </summary>
internal static class Startup
{
    public static async Task LoadStateAsync(this WebApplication app)
    {
        var services = app.Services;

        // 1. The ledger: contacts, companies and every event, into memory. Scoring, triggers and erasure read it.
        services.GetRequiredService<Ledger>().Load();

        // 2. Key hashes, plugin activations and triggers: needed by the first request, independent of each other.
        services.GetRequiredService<KeyStore>().Load();
        services.GetRequiredService<Activations>().Load();
        services.GetRequiredService<Triggers>().Load();

        // 3. The plugin assemblies. Published scores are compiled by their strategy plugins (step 6).
        services.GetRequiredService<PluginCatalog>().LoadAll();

        // 4. Trigger sequences, cool-downs and pending deliveries, from the outbox: before any score can change (6),
        //    so a re-fired trigger continues its sequence and respects its cool-down.
        services.GetRequiredService<TriggerMatcher>().Resume();

        // 5. Erasures a crash interrupted are finished before scores are restored (6), so an erased contact's
        //    history is gone before the restore compares states.
        services.GetRequiredService<ContactErasure>().ResumePending();

        // 6. Published scores: compiled (3), evaluated against the ledger (1), compared with their last persisted
        //    state; from now on an upgraded strategy plugin recompiles them.
        var scores = services.GetRequiredService<ScoreModels>();
        await scores.RestorePublishedAsync();
        services.GetRequiredService<PluginInstaller>().Installed += scores.OnPluginInstalled;

        // 7. Scheduled signals, last: one already due is emitted at once, and its events are scored by the restored
        //    scores (6).
        services.GetRequiredService<ScheduledSignals>().Load();
    }
}
