using System.Security.Cryptography;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Tags.Tests;

/// <summary>The signal-source contract, checked against scorehub.tags.</summary>
public sealed class TagsSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    private const string Secret = "0123456789abcdef-secret";

    private const string Batch = """
        {"events":[
          {"id":"evt_1","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com","externalId":"crm-42"},"tag":"vip"},
          {"id":"evt_2","type":"tag.removed","occurredAt":"2026-03-01T10:01:00+01:00","contact":{"externalId":"crm-42"},"tag":"cold"},
          {"id":"evt_3","type":"goal.reached","occurredAt":"2026-03-01T10:02:00Z","contact":{"email":"ada@example.com"},"goal":"trial-started"}
        ]}
        """;

    protected override ISignalSource CreatePlugin() => new TagsSource();

    protected override PluginSettings ValidSettings => new SettingsBuilder().With(TagsOptions.SigningSecret, Secret).Build();

    protected override IEnumerable<SourceRequest> SampleRequests() => [Signed(System.Text.Encoding.UTF8.GetBytes(Batch))];

    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => Signed(body);

    protected override SourceRequest? UnverifiedRequest => TestRequests.Json(Batch, new Dictionary<string, string>
    {
        [TagsOptions.SignatureHeader] = "sha256=" + new string('0', 64),
    });

    private static SourceRequest Signed(ReadOnlyMemory<byte> body) => TestRequests.Post(body, "application/json", new Dictionary<string, string>
    {
        [TagsOptions.SignatureHeader] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret), body.Span)),
    });
}
