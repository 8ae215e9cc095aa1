using ScoreHub.Host.Core.Actions;

namespace ScoreHub.Host.Features.Actions;

/// <summary>Triggers, the durable outbox, and the delivery of actions through action plugins.</summary>
internal static class ActionsModule
{
    public static IServiceCollection AddActions(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.AddSingleton<Triggers>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<TriggerMatcher>();
        services.AddSingleton<ActionAttempt>();
        services.AddSingleton<ActionDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<ActionDelivery>());
        return services;
    }
}
