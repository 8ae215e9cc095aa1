using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Faulty;

[assembly: ScoreHubPlugin(typeof(FaultySource))]

namespace ScoreHub.TestPlugins.Faulty;

/// <summary>
/// Misbehaves on demand, for the invoker's fault containment: <c>?do=throw</c> throws, <c>?do=hang</c> never
/// returns and ignores its token, <c>?do=ok</c> returns one signal (for <c>?email=</c>, default faulty@example.com).
/// </summary>
public sealed class FaultySource : ISignalSource
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "test.faulty",
        Name = "Faulty test source",
        Version = "0.0.1",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
    };

    public ValidationReport ValidateSettings(PluginSettings settings) => ValidationReport.Valid;

    public async ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var action = request.Query.GetValueOrDefault("do", "ok");
        switch (action)
        {
            case "throw":
                throw new InvalidOperationException("faulty plugin threw on purpose");
            case "hang":
#pragma warning disable CA2016 // Ignoring the token is the point: the invoker must walk away anyway.
                await Task.Delay(Timeout.Infinite);
#pragma warning restore CA2016
                return SourceResponse.Accept([]);
            default:
                var signal = new Signal
                {
                    Id = request.Query.GetValueOrDefault("id") ?? Guid.NewGuid().ToString("N"),
                    Type = "test.ok",
                    OccurredAt = context.Clock.GetUtcNow(),
                    Contact = new ContactRef { Email = request.Query.GetValueOrDefault("email", "faulty@example.com") },
                };
                return SourceResponse.Accept([signal]);
        }
    }
}
