using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>
/// One in-memory host per test class with every first-party plugin installed and every webhook source active in one
/// workspace, with known secrets so a test can sign a payload and get it past the source's authentication.
/// </summary>
public sealed class BadInputHost : IAsyncLifetime, IDisposable
{
    public const string SigningSecret = "bad-input-signing-secret-0123456789";
    public const string MailgunKey = "key-bad-input-0123456789abcdef";
    public const string MailchimpSecret = "bad-input-mailchimp-secret-0123";
    public const string ShopifySecret = "shpss_bad-input-0123456789abcdef";
    public const string LinkSecret = "bad-input-link-secret-0123456789";

    /// <summary>The instant the SendGrid signature's timestamp names: the fixture clock's start.</summary>
    public const string SendGridTimestamp = "1772442000";

    public BadInputHost()
    {
        App = new ScoreHubApp(
            pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty,
                [.. Directory.GetDirectories(PluginDirectories.FirstParty).Select(Path.GetFileName).OfType<string>()]),
            settings: new Dictionary<string, string?>
            {
                // The corpus sends hundreds of requests in a few seconds with one key; the rate limit is not under test.
                ["ScoreHub:IngestBurst"] = "1000000",
                ["ScoreHub:IngestRequestsPerSecond"] = "1000000",
                // A plugin answering a bad payload must never trip its breaker into 502s for the next corpus item.
                ["ScoreHub:CircuitBreakerThreshold"] = "1000000",
            });
    }

    public ScoreHubApp App { get; }

    public TestWorkspace Ws { get; private set; } = null!;

    public ECDsa SendGridKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public async Task InitializeAsync()
    {
        Ws = await App.CreateWorkspaceAsync("Bad input");
        await App.ActivateOrFailAsync(Ws, "scorehub.tags", new { signingSecret = SigningSecret });
        await App.ActivateOrFailAsync(Ws, "scorehub.social", new { signingSecret = SigningSecret });
        await App.ActivateOrFailAsync(Ws, "scorehub.sendgrid", new { publicKey = Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo()) });
        await App.ActivateOrFailAsync(Ws, "scorehub.mailgun", new { signingKey = MailgunKey });
        await App.ActivateOrFailAsync(Ws, "scorehub.mailchimp", new { secret = MailchimpSecret });
        await App.ActivateOrFailAsync(Ws, "scorehub.cart", new { clientSecret = ShopifySecret });
        await App.ActivateOrFailAsync(Ws, "scorehub.web", new { linkSecret = LinkSecret });
        await App.ActivateOrFailAsync(Ws, "scorehub.segment", new { });
        await App.ActivateOrFailAsync(Ws, "scorehub.points", new { });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        App.Dispose();
        SendGridKey.Dispose();
    }

    public HttpClient Client(string? key = null) => App.Client(key);

    /// <summary>
    /// What is stored, as counts: every LiteDB collection of the host's database and the in-memory projection
    /// (contacts and events per workspace). Equal snapshots before and after a request mean it stored nothing.
    /// </summary>
    public IReadOnlyDictionary<string, long> Stored()
    {
        var db = App.Services.GetRequiredService<Database>();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in db.Lite.GetCollectionNames())
        {
            counts["db." + name] = db.Lite.GetCollection(name).LongCount();
        }

        var data = App.Services.GetRequiredService<Ledger>().Find(Ws.Id);
        counts["ledger.contacts"] = data?.Contacts.Count ?? 0;
        counts["ledger.events"] = data?.EventCount ?? 0;
        return counts;
    }

    /// <summary>The activation of <paramref name="pluginId"/> as the API shows it (null when inactive).</summary>
    public async Task<string> ActivationAsync(string pluginId) =>
        (await App.PluginAsync(Ws, pluginId)).GetProperty("activation").GetRawText();

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public async Task<HttpResponseMessage> PutJsonAsync(string path, object body) =>
        await Client(Ws.SecretKey).PutAsJsonAsync(path, body);
}
