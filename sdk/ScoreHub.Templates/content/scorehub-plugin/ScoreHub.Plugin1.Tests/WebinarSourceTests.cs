using System.Security.Cryptography;
using System.Text;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugin1.Tests;

/// <summary>Every check of the signal-source contract, run against this plugin.</summary>
public sealed class WebinarSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new WebinarSource();

    protected override PluginSettings ValidSettings => WebinarSourceTests.Settings;

    protected override IEnumerable<SourceRequest> SampleRequests() => [WebinarSourceTests.Signed(WebinarSourceTests.Attended)];

    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => WebinarSourceTests.Signed(body);

    protected override SourceRequest? UnverifiedRequest => TestRequests.Json(Encoding.UTF8.GetString(WebinarSourceTests.Attended));
}

public sealed class WebinarSourceTests
{
    internal const string Secret = "0123456789abcdef-secret";

    internal static readonly byte[] Attended = Encoding.UTF8.GetBytes("""
        {"events":[{"id":"reg-1","type":"webinar.registered","occurredAt":"2026-03-01T10:00:00Z","email":"ada@example.com"},
                   {"id":"att-1","type":"webinar.attended","occurredAt":"2026-03-01T16:00:00Z","email":"ada@example.com"}]}
        """);

    internal static PluginSettings Settings => new SettingsBuilder().With(WebinarSource.SigningSecret, Secret).Build();

    internal static SourceRequest Signed(ReadOnlyMemory<byte> body) => TestRequests.Post(body, "application/json", new Dictionary<string, string>
    {
        [WebinarSource.SignatureHeader] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body.Span)),
    });

    [Fact]
    public async Task Registration_and_attendance_become_signals_for_the_attendee()
    {
        var recorder = new SignalRecorder(new WebinarSource(), TestContexts.Source(Settings));

        await recorder.HandleAsync(Signed(Attended));

        Assert.Equal(["webinar.registered", "webinar.attended"], recorder.Signals.Select(s => s.Type));
        Assert.All(recorder.Signals, s => Assert.Equal("ada@example.com", s.Contact.Email));
    }
}
