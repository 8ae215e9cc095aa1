namespace ScoreHub.Sdk;

/// <summary>
/// Marks an assembly as a ScoreHub plugin and names its entry type. The host never scans for types:
/// an assembly without this attribute is reported as "not a plugin", and the named type must be a non-abstract
/// class with a parameterless constructor implementing <see cref="IScoreHubPlugin"/>. Name the implementation itself,
/// which may (and usually should) be <c>internal sealed</c>: hosts of SDK 1.2 and later create non-public entry types,
/// so no public forwarding class is needed.
/// </summary>
/// <example><code>[assembly: ScoreHubPlugin(typeof(WebinarSource))] // internal sealed class WebinarSource : ISignalSource</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ScoreHubPluginAttribute(Type pluginType) : Attribute
{
    /// <summary>The plugin's entry type.</summary>
    public Type PluginType { get; } = pluginType;
}
