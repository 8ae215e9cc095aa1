namespace ScoreHub.Sdk;

/// <summary>
/// Marks an assembly as a ScoreHub plugin and names its entry type. The host never scans for types:
/// an assembly without this attribute is reported as "not a plugin", and the named type must be a public,
/// non-abstract class with a public parameterless constructor implementing <see cref="IScoreHubPlugin"/>.
/// </summary>
/// <example><code>[assembly: ScoreHubPlugin(typeof(WebinarSource))]</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ScoreHubPluginAttribute(Type pluginType) : Attribute
{
    /// <summary>The plugin's entry type.</summary>
    public Type PluginType { get; } = pluginType;
}
