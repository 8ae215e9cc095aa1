using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Major2;

[assembly: ScoreHubPlugin(typeof(Major2Plugin))]

namespace ScoreHub.TestPlugins.Major2;

/// <summary>A plugin for a future SDK major: the host must refuse it before loading it.</summary>
public sealed class Major2Plugin : IScoreHubPlugin
{
    public string Id => "test.major2";
}
