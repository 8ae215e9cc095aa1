namespace ScoreHub.Host.Features.Demo;

/// <summary>The demo workspace and its synthetic journey (only with <c>ScoreHub:Demo=true</c>).</summary>
internal static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services) => services.AddHostedService<DemoJourney>();
}
