using FluentValidation;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Infrastructure;

namespace ScoreHub.Host.Features.Events;

/// <summary>Ingest: the canonical batch, source plugins' webhooks, Segment's API, and the signals sources schedule for later.</summary>
internal static class EventsModule
{
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidator<IngestEvents>, IngestEventsValidator>();
        services.AddSingleton<SourceDispatcher>();
        services.AddSingleton<ScheduledSignals>();
        services.AddIngestRateLimits(configuration);
        return services;
    }
}
