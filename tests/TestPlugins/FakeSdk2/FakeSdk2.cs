namespace ScoreHub.Sdk;

/// <summary>The 2.x shape of the plugin root, as far as the Major2 test plugin needs it.</summary>
public interface IScoreHubPlugin
{
    string Id { get; }
}

[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ScoreHubPluginAttribute(Type pluginType) : Attribute
{
    public Type PluginType { get; } = pluginType;
}
