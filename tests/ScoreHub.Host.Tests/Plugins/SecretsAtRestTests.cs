using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Storage;
using ScoreHub.Host.Tests.Sources;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>
/// Plugin settings and triggers hold API tokens, signing secrets and authorization headers. The files in the data
/// directory never hold them in plain text, and a restarted host still uses them.
/// </summary>
public sealed class SecretsAtRestTests
{
    private static readonly string ShopifySecret = "shpss_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    private static readonly string HookToken = "tok_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    [Fact]
    public async Task No_file_of_the_data_directory_holds_a_plugin_secret_or_a_trigger_token_and_a_restart_still_verifies_with_them()
    {
        var app = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty + Path.PathSeparator + PluginDirectories.TestPlugins) { KeepDataDirectory = true };
        var directory = app.DataDirectory;
        try
        {
            var ws = await app.CreateWorkspaceAsync();
            await app.ActivateOrFailAsync(ws, "scorehub.cart", new { clientSecret = ShopifySecret });
            await app.ActivateOrFailAsync(ws, "test.receiver", new { });
            var client = app.Client(ws.SecretKey);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/scores/lead", new
            {
                name = "Lead",
                groups = new object[] { new { name = "Intent", rules = new object[] { new { @event = "demo.requested", points = 70 } } } },
                thresholds = new object[] { new { label = "cold", below = 60 }, new { label = "hot" } },
            })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/scores/lead/publish", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/triggers/became-hot", new
            {
                score = "lead",
                when = new { label = new { to = "hot" } },
                actions = new[] { new { plugin = "test.receiver", parameters = new { url = $"http://127.0.0.1:9/hook?token={HookToken}" } } },
            })).StatusCode);

            app.Dispose();
            app = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty + Path.PathSeparator + PluginDirectories.TestPlugins, dataDirectory: directory) { KeepDataDirectory = true };

            Assert.Equal(HttpStatusCode.Unauthorized, (await PostShopifyAsync(app, ws, "{}", Shopify.Sign("{}", "shpss_someone-elses-secret"))).StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await PostShopifyAsync(app, ws, "{}", Shopify.Sign("{}", ShopifySecret))).StatusCode);
            var trigger = await app.Client(ws.SecretKey).GetStringAsync("/api/v1/triggers/became-hot");
            Assert.Contains(HookToken, trigger, StringComparison.Ordinal);
            app.Dispose();

            foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var secret in new[] { ShopifySecret, HookToken })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetRelativePath(directory, file)} holds a secret");
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{Path.GetRelativePath(directory, file)} holds a secret (UTF-16)");
                }
            }
        }
        finally
        {
            app.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Settings_stored_in_plain_text_before_encryption_are_read_and_stored_again_encrypted()
    {
        using var store = new Store();
        store.Db.Activations.Insert(new BsonDocument
        {
            ["_id"] = "ws_1/scorehub.cart",
            ["ws"] = "ws_1",
            ["plugin"] = "scorehub.cart",
            ["settings"] = $$"""{"clientSecret":"{{ShopifySecret}}"}""",
            ["updated"] = 0L,
            ["attention"] = BsonValue.Null,
        });

        var activations = store.Activations(new EphemeralDataProtectionProvider());
        activations.Load();

        var activation = activations.Find("ws_1", "scorehub.cart")!;
        Assert.True(activation.Usable);
        Assert.Equal(ShopifySecret, activation.Settings.GetString("clientSecret"));
        var stored = store.Db.Activations.FindById("ws_1/scorehub.cart")["settings"].AsString;
        Assert.StartsWith("dp1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(ShopifySecret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_whose_key_is_gone_leave_the_activation_kept_but_needing_attention()
    {
        using var store = new Store();
        store.Activations(new EphemeralDataProtectionProvider()).Save(new Activation("ws_1", "scorehub.cart", Sdk.PluginSettings.Parse($$"""{"clientSecret":"{{ShopifySecret}}"}"""), DateTimeOffset.UnixEpoch));

        var reloaded = store.Activations(new EphemeralDataProtectionProvider()); // another key ring: the old key is lost
        reloaded.Load();

        var activation = reloaded.Find("ws_1", "scorehub.cart")!;
        Assert.False(activation.Usable);
        Assert.StartsWith("Its settings cannot be decrypted", activation.Attention, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostShopifyAsync(ScoreHubApp app, TestWorkspace ws, string body, string hmac)
    {
        using var request = Shopify.Delivery(ws.IngestKey, "checkouts/create", body, "wh-1", hmac);
        return await app.Client().SendAsync(request);
    }

    /// <summary>A real database in a temporary directory.</summary>
    private sealed class Store : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "scorehub-tests", "secrets-" + Guid.NewGuid().ToString("N"));

        public Store() => Db = new Database(Options.Create(new ScoreHubOptions { DataDirectory = _directory }));

        public Database Db { get; }

        public Activations Activations(IDataProtectionProvider keys) =>
            new(Db, new SettingsProtector(keys), NullLogger<Activations>.Instance);

        public void Dispose()
        {
            Db.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
