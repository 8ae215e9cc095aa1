using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// samples/Acme.Webinars as its author ships it: built outside ScoreHub.sln against the packed SDK, its own tests run
/// on the packed test kit, its .shplugin written by the SDK package's MSBuild target, installed into a running host
/// over the API, activated for a workspace and fed its own fixture payloads - and the contact's scores move.
/// The install, the activation and a signed webhook replay are the plugin guide's curl examples, run as written
/// (docs/plugins), and the guide's scorehub-plugin.json is the one the target writes.
/// Slow (restores and builds the sample), so it is one test.
/// </summary>
[Collection(PackedSdkTests.Name)]
public sealed class SamplePluginEndToEndTests(PackedSdk sdk)
{
    private const string AdminKey = "shk_admin_sample-end-to-end-key";
    // The secret the guide's activation and replay examples use.
    private const string SigningSecret = "whsec_acme_0123456789abcdef";
    private static readonly string[] BothKinds = ["signal-source", "scoring-strategy"];
    private static readonly string Sample = Path.Combine(PackedSdk.RepoRoot, "samples", "Acme.Webinars");

    [Fact]
    public async Task The_webinar_sample_passes_its_tests_installs_into_a_running_host_and_moves_a_contacts_scores()
    {
        // Build and test the sample from a copy, with its nuget.config's local folder pointed at the fresh packages.
        var copy = sdk.NewFolder("acme-webinars");
        CopySample(Sample, copy);
        var config = Path.Combine(copy, "nuget.config");
        var original = await File.ReadAllTextAsync(config);
        Assert.Contains("value=\"../../artifacts/packages\"", original, StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, original.Replace("../../artifacts/packages", sdk.Feed, StringComparison.Ordinal));

        var tests = await sdk.DotnetAsync(copy, "test", "Acme.Webinars.Tests", "-m:1");
        Assert.Contains("Passed!", tests, StringComparison.Ordinal);

        var dist = sdk.NewFolder("dist");
        await sdk.DotnetAsync(copy, "build", "Acme.Webinars", "--no-restore", "-m:1", "-t:ScoreHubPluginPackage",
            $"-p:ScoreHubPluginPackageOutputPath={dist}/");
        var package = Path.Combine(dist, "acme.webinars.1.0.0.shplugin");
        Assert.True(File.Exists(package), $"No package at {package}.");
        Assert.Equal(Compact(DocsExamples.Get("packaging.md", "package-manifest")), Compact(PackageManifest(package)));

        // A host with only the first-party points strategy besides what gets installed.
        var plugins = sdk.NewFolder("host-plugins");
        CopySample(Path.Combine(PackedSdk.RepoRoot, "artifacts", "plugins", "ScoreHub.Plugins.Points"), Path.Combine(plugins, "ScoreHub.Plugins.Points"));
        using var host = await HostProcess.StartAsync(sdk.NewFolder("host-data"), AdminKey, plugins);
        using var admin = host.Client(AdminKey);

        var sh = host.Address.ToString().TrimEnd('/');
        var installed = await sdk.BashAsync(dist, DocsExamples.Get("packaging.md", "install-package"),
            new Dictionary<string, string> { ["SH"] = sh, ["ADMIN_KEY"] = AdminKey });
        using var manifest = JsonDocument.Parse(installed);
        Assert.Equal(BothKinds, manifest.RootElement.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!));

        var workspace = await (await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Acme" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = workspace.GetProperty("keys").GetProperty("secret").GetString()!;
        using var client = host.Client(key);
        var asWorkspace = new Dictionary<string, string> { ["SH"] = sh, ["KEY"] = key };
        var activate = DocsExamples.Get("lifecycle.md", "activate");
        Assert.Contains(SigningSecret, activate, StringComparison.Ordinal);
        await sdk.BashAsync(sdk.NewFolder("activate"), activate, asWorkspace);

        // Fit: the sample's own seniority model. Engagement: points for webinar activity, 30 minutes watched or more.
        await Ok(client.PutAsync("/api/v1/scores/fit", JsonBody(await File.ReadAllTextAsync(Path.Combine(Sample, "Acme.Webinars.Tests", "Fixtures", "seniority-model.json")))));
        await Ok(client.PutAsync("/api/v1/scores/engagement", JsonBody("""
            { "name": "Webinar engagement", "strategy": "scorehub.points", "groups": [{ "name": "Webinars", "rules": [
                { "event": "webinar.registered", "points": 5 },
                { "event": "webinar.attended", "points": 10, "where": { "minutesWatched": { "gte": 30 } } } ] }] }
            """)));
        await Ok(client.PostAsync("/api/v1/scores/fit/publish", null));
        await Ok(client.PostAsync("/api/v1/scores/engagement/publish", null));

        await Ok(client.PostAsync("/api/v1/sources/acme.webinars/hooks", Signed("registration.json")));
        Assert.Equal((25, 5), await ScoresAsync(client));

        // left.json, signed and posted with openssl and curl as the guide shows, from the repository root.
        var replay = DocsExamples.Get("testing.md", "replay-webhook");
        Assert.Contains(SigningSecret, replay, StringComparison.Ordinal);
        await sdk.BashAsync(PackedSdk.RepoRoot, replay, asWorkspace);
        Assert.Equal((25, 15), await ScoresAsync(client));

        var refused = await client.PostAsync("/api/v1/sources/acme.webinars/hooks", Signed("left.json", secret: "not-the-workspace-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>The contact's fit and engagement scores.</summary>
    private static async Task<(double Fit, double Engagement)> ScoresAsync(HttpClient client)
    {
        var scores = await client.GetFromJsonAsync<JsonElement>("/api/v1/contacts/email:ada.lovelace@example.com/scores");
        var values = scores.EnumerateArray().ToDictionary(s => s.GetProperty("scoreId").GetString()!, s => s.GetProperty("value").GetDouble());
        return (values["fit"], values["engagement"]);
    }

    /// <summary>A sample fixture, signed now with the workspace's secret as Acme Webinars signs it.</summary>
    private static ByteArrayContent Signed(string fixture, string secret = SigningSecret)
    {
        var body = File.ReadAllBytes(Path.Combine(Sample, "Acme.Webinars.Tests", "Fixtures", fixture));
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var message = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add("X-Acme-Request-Timestamp", timestamp);
        content.Headers.Add("X-Acme-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message)));
        return content;
    }

    private static string PackageManifest(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry("scorehub-plugin.json")!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The JSON re-serialized without white space, for comparing documents.</summary>
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static void CopySample(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
