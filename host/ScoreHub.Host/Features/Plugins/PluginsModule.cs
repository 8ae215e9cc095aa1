using ScoreHub.Host.Core.Plugins;

namespace ScoreHub.Host.Features.Plugins;

/// <summary>The plugin catalog (loading and installing), activations per workspace, and the one invoker every plugin call goes through.</summary>
internal static class PluginsModule
{
    public static IServiceCollection AddPlugins(this IServiceCollection services)
    {
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton<PluginInvoker>();
        services.AddSingleton<Activations>();
        return services;
    }
}
