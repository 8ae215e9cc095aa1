using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Segment.Tests;

/// <summary>
/// The signal-source contract, checked against scorehub.segment with a batch, an identify and a group call. Segment
/// clients authenticate with the workspace's write key, which the host checks before the source is called, so there
/// is no sender for the source itself to verify.
/// </summary>
public sealed class SegmentSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new SegmentSource();

    protected override IEnumerable<SourceRequest> SampleRequests() =>
    [
        TestRequests.Json("""
            {"batch":[
              {"type":"track","messageId":"m-1","userId":"u-42","event":"Order Completed","timestamp":"2026-03-01T10:00:00.000Z",
               "properties":{"orderId":"o-1","revenue":99.50,"paid":true,"coupon":null,"shipping":{"city":"Rotterdam","express":false},"products":[{"sku":"a"},{"sku":"b"}]},
               "context":{"traits":{"email":"ada@example.com"}}},
              {"type":"page","messageId":"m-2","anonymousId":"anon-7","name":"Pricing","timestamp":"2026-03-01T10:01:00Z",
               "properties":{"url":"https://acme.test/pricing","title":"Pricing"}}
            ],"sentAt":"2026-03-01T10:01:05Z"}
            """, path: "/v1/batch"),
        TestRequests.Json("""
            {"type":"identify","messageId":"i-1","userId":"u-42","anonymousId":"anon-7","timestamp":"2026-03-01T10:00:00Z",
             "traits":{"email":"ada@example.com","name":"Ada Lovelace","title":"CTO"}}
            """, path: "/v1/identify"),
        TestRequests.Json("""
            {"type":"group","messageId":"g-1","userId":"u-42","groupId":"acme","timestamp":"2026-03-01T10:00:00Z",
             "traits":{"name":"Acme","industry":"Software","employees":250}}
            """, path: "/v1/group"),
    ];
}
