using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>The names plugin kinds have in the API and in package manifests.</summary>
internal static class PluginKindNames
{
    public static string Of(PluginKinds kind) => kind switch
    {
        PluginKinds.SignalSource => "signal-source",
        PluginKinds.ScoringStrategy => "scoring-strategy",
        PluginKinds.Action => "action",
        _ => kind.ToString(),
    };
}
