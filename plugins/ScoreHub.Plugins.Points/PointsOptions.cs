using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Points;

/// <summary>
/// The settings a workspace gives when it activates the points strategy: none. Everything a score needs is in
/// its model, published per score, so one activation serves every points-based score of the workspace.
/// </summary>
public static class PointsOptions
{
    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } = [];
}
