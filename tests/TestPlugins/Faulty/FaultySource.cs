using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Faulty;

[assembly: ScoreHubPlugin(typeof(FaultySource))]

namespace ScoreHub.TestPlugins.Faulty;

/// <summary>
/// Misbehaves on demand, for the invoker's fault containment: <c>?do=throw</c> throws, <c>?do=hang</c> never
/// returns and ignores its token, <c>?do=allocate</c> hoards memory until the runtime refuses more,
/// <c>?do=null</c> answers null, <c>?do=null-signals</c> a null signal list, <c>?do=null-members</c> signals
/// with null members (and a null signal), <c>?do=ok</c> returns one signal (for <c>?email=</c>, default
/// faulty@example.com).
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
            case "allocate":
                var hoard = new List<byte[]>();
                while (true)
                {
                    var chunk = new byte[16 << 20];
                    chunk.AsSpan().Fill(0xAB);
                    hoard.Add(chunk);
                }

            case "null":
                return null!;
            case "null-signals":
                return SourceResponse.Accept(null!);
            case "null-members":
                return SourceResponse.Accept(
                [
                    new Signal { Id = null!, Type = null!, OccurredAt = default, Contact = null!, Properties = null!, ContactProperties = null! },
                    null!,
                ]);
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
