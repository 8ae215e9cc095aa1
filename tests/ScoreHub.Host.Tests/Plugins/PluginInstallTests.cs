using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>Installing and upgrading plugins from .shplugin packages into a running host: POST /api/v1/plugins.</summary>
public sealed class PluginInstallTests : IDisposable
{
    private ScoreHubApp _app = new() { KeepDataDirectory = true };

    public void Dispose()
    {
        _app.Dispose();
        Directory.Delete(_app.DataDirectory, recursive: true);
    }

    private string InstallDirectory => Path.Combine(_app.DataDirectory, "installed-plugins");

    [Fact]
    public async Task A_package_installed_into_a_running_host_is_listed_and_works_once_activated()
    {
        var ws = await _app.CreateWorkspaceAsync();

        var installed = await _app.InstallAsync(TestPackages.GoodV1());

        Assert.Equal(HttpStatusCode.Created, installed.StatusCode);
        Assert.Equal("/api/v1/plugins/test.good", installed.Headers.Location?.OriginalString);
        var body = await installed.JsonAsync();
        Assert.Equal("test.good", body.GetProperty("id").GetString());
        Assert.Equal("1.2.3", body.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("previousVersion").ValueKind);
        Assert.Equal(["signal-source"], body.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var listed = await (await _app.Client(ScoreHubApp.AdminKey).GetAsync("/api/v1/plugins")).JsonAsync();
        var plugin = Assert.Single(listed.EnumerateArray(), p => p.GetProperty("id").GetString() == "test.good");
        Assert.Equal("loaded", plugin.GetProperty("status").GetString());
        Assert.True(Directory.Exists(Path.Combine(InstallDirectory, "test.good", "1.2.3")));

        await _app.ActivateOrFailAsync(ws, "test.good", new { mode = "b" });
        var posted = await _app.PostGoodAsync(ws, "evt_1", "ada@example.com");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(1, (await posted.JsonAsync()).GetProperty("stored").GetInt32());
    }

    [Fact]
    public async Task Installing_a_newer_version_sends_every_next_call_to_it_and_the_old_one_is_not_called_again()
    {
        var ws = await _app.CreateWorkspaceAsync();
        await _app.InstallOrFailAsync(TestPackages.GoodV1());
        await _app.ActivateOrFailAsync(ws, "test.good", new { mode = "a" });
        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(ws, "evt_v1", "ada@example.com")).StatusCode);

        var upgraded = await _app.InstallAsync(TestPackages.GoodV2());

        Assert.Equal(HttpStatusCode.Created, upgraded.StatusCode);
        var body = await upgraded.JsonAsync();
        Assert.Equal("2.0.0", body.GetProperty("version").GetString());
        Assert.Equal("1.2.3", body.GetProperty("previousVersion").GetString());
        var carried = Assert.Single(body.GetProperty("activations").EnumerateArray());
        Assert.Equal("carried-over", carried.GetProperty("status").GetString());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(ws, $"evt_v2_{i}", "ada@example.com")).StatusCode);
        }

        var versions = await PluginVersionsOfEventsAsync(ws, "ada@example.com");
        Assert.Equal(["v1", "2", "2", "2", "2", "2"], versions);
        var plugin = await _app.PluginAsync(ws, "test.good");
        Assert.Equal("2.0.0", plugin.GetProperty("version").GetString());
        Assert.Equal("healthy", plugin.GetProperty("activation").GetProperty("health").GetString());
    }

    [Fact]
    public async Task An_activation_the_new_version_rejects_is_kept_but_needs_attention_until_activated_again()
    {
        var ws = await _app.CreateWorkspaceAsync();
        await _app.InstallOrFailAsync(TestPackages.GoodV1());
        await _app.ActivateOrFailAsync(ws, "test.good", new { mode = "b" });

        var upgraded = await (await _app.InstallAsync(TestPackages.GoodV2())).JsonAsync();

        var carried = Assert.Single(upgraded.GetProperty("activations").EnumerateArray());
        Assert.Equal("needs-attention", carried.GetProperty("status").GetString());
        Assert.Equal("Version 2.0.0 rejects the settings: mode: 'mode' must be \"a\" since version 2.", carried.GetProperty("reason").GetString());
        var refused = await _app.PostGoodAsync(ws, "evt_1", "ada@example.com");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("needs attention", (await refused.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var activation = (await _app.PluginAsync(ws, "test.good")).GetProperty("activation");
        Assert.Equal("needs-attention", activation.GetProperty("health").GetString());
        Assert.Equal("b", activation.GetProperty("settings").GetProperty("mode").GetString());

        await _app.ActivateOrFailAsync(ws, "test.good", new { mode = "a" });

        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(ws, "evt_2", "ada@example.com")).StatusCode);
        Assert.Equal(["2"], await PluginVersionsOfEventsAsync(ws, "ada@example.com"));
    }

    [Fact]
    public async Task After_a_restart_the_newest_installed_version_is_loaded_with_its_activations()
    {
        var ws = await _app.CreateWorkspaceAsync();
        await _app.InstallOrFailAsync(TestPackages.GoodV1());
        await _app.ActivateOrFailAsync(ws, "test.good", new { mode = "a" });
        await _app.InstallOrFailAsync(TestPackages.GoodV2());

        _app.Dispose();
        _app = new ScoreHubApp(dataDirectory: _app.DataDirectory) { KeepDataDirectory = true };

        var plugin = await _app.PluginAsync(ws, "test.good");
        Assert.Equal("2.0.0", plugin.GetProperty("version").GetString());
        Assert.Equal("healthy", plugin.GetProperty("activation").GetProperty("health").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(ws, "evt_1", "ada@example.com")).StatusCode);
        Assert.Equal(["2"], await PluginVersionsOfEventsAsync(ws, "ada@example.com"));
    }

    [Fact]
    public async Task The_same_package_installed_twice_is_a_200_that_changes_nothing()
    {
        await _app.InstallOrFailAsync(TestPackages.GoodV1());

        var again = await _app.InstallAsync(TestPackages.GoodV1());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.JsonAsync();
        Assert.False(body.GetProperty("changed").GetBoolean());
        Assert.Equal("1.2.3", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task The_same_version_with_different_content_is_a_409()
    {
        await _app.InstallOrFailAsync(TestPackages.GoodV1());
        var changed = TestPackages.Zip([.. TestPackages.Entries(TestPackages.GoodV1()), ("lib/extra.txt", "x"u8.ToArray())]);

        await AssertRefusedAsync(await _app.InstallAsync(changed), HttpStatusCode.Conflict,
            "Plugin test.good 1.2.3 is already installed with different content. Publish the change as a higher version.",
            stillInstalled: "1.2.3");
    }

    [Fact]
    public async Task An_older_version_than_the_installed_one_is_a_409()
    {
        await _app.InstallOrFailAsync(TestPackages.GoodV2());

        await AssertRefusedAsync(await _app.InstallAsync(TestPackages.GoodV1()), HttpStatusCode.Conflict,
            "Plugin test.good 2.0.0 is installed; 1.2.3 is older. Install a version higher than 2.0.0.", stillInstalled: "2.0.0");
    }

    [Fact]
    public async Task A_corrupt_zip_is_a_400_and_leaves_nothing_behind()
    {
        var corrupt = TestPackages.GoodV1()[..200];

        await AssertRefusedAsync(await _app.InstallAsync(corrupt), HttpStatusCode.BadRequest, "Not a valid plugin package: ");
    }

    [Fact]
    public async Task An_entry_escaping_the_plugin_folder_is_a_400_and_nothing_is_written()
    {
        var slip = TestPackages.Zip([.. TestPackages.Entries(TestPackages.GoodV1()), ("lib/../../escaped.txt", "x"u8.ToArray())]);

        await AssertRefusedAsync(await _app.InstallAsync(slip), HttpStatusCode.BadRequest,
            "Not a valid plugin package: entry 'lib/../../escaped.txt' would be written outside the plugin folder.");
        Assert.Empty(Directory.GetFiles(_app.DataDirectory, "escaped.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_package_without_a_manifest_is_a_400()
    {
        await AssertRefusedAsync(await _app.InstallAsync(TestPackages.Zip(TestPackages.GoodLib())), HttpStatusCode.BadRequest,
            "Not a valid plugin package: no scorehub-plugin.json at the root of the zip.");
    }

    [Fact]
    public async Task A_manifest_with_bad_fields_is_a_400_naming_each_field()
    {
        var manifest = TestPackages.ManifestJson("""{"formatVersion":1,"id":"Test Good","version":"two","sdkVersion":"1.1.0","entryAssembly":"ScoreHub.TestPlugins.Good","kinds":["signal-source"]}""");

        var response = await _app.InstallAsync(TestPackages.Zip([manifest, .. TestPackages.GoodLib()]));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Not a valid plugin package: the manifest is invalid.");
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("manifest.id", out _), errors.ToString());
        Assert.Equal("'version' must be a semantic version (1.2.3 or 1.2.3-beta.1), not 'two'.", errors.GetProperty("manifest.version")[0].GetString());
    }

    [Fact]
    public async Task A_missing_entry_assembly_is_a_400_naming_the_field()
    {
        var response = await _app.InstallAsync(TestPackages.Zip([TestPackages.GoodManifestEntry(entryAssembly: "ScoreHub.TestPlugins.Missing"), .. TestPackages.GoodLib()]));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Not a valid plugin package: the manifest is invalid.");
        Assert.Equal("The package has no lib/ScoreHub.TestPlugins.Missing.dll.",
            (await response.JsonAsync()).GetProperty("errors").GetProperty("manifest.entryAssembly")[0].GetString());
    }

    [Fact]
    public async Task A_manifest_that_disagrees_with_the_assembly_is_a_422_naming_both()
    {
        var lying = TestPackages.Zip([TestPackages.GoodManifestEntry(id: "test.other"), .. TestPackages.GoodLib()]);

        await AssertRefusedAsync(await _app.InstallAsync(lying), (HttpStatusCode)422,
            "The package manifest says test.other 1.2.3 (signal-source) but the assembly ScoreHub.TestPlugins.Good says test.good 1.2.3 (signal-source).");
    }

    [Fact]
    public async Task A_package_for_sdk_major_2_is_a_422_naming_both_versions()
    {
        var major2 = TestPackages.Zip([TestPackages.GoodManifestEntry(sdkVersion: "2.0.0"), .. TestPackages.GoodLib()]);

        await AssertRefusedAsync(await _app.InstallAsync(major2), (HttpStatusCode)422,
            $"Plugin test.good 1.2.3 is built against ScoreHub.Sdk 2.0.0; this host provides ScoreHub.Sdk {ScoreHub.Sdk.ScoreHubSdk.Version} (a plugin needs the same major and a minor no newer than the host's).");
    }

    [Fact]
    public async Task A_plugin_built_against_a_future_sdk_minor_is_a_422_even_when_its_package_manifest_hides_it()
    {
        var folder = Path.Combine(PluginDirectories.TestPlugins, "ScoreHub.TestPlugins.FutureMinor");
        var honest = TestPackages.Pack(new()
        {
            Id = "test.future-minor",
            Version = "1.0.0",
            SdkVersion = "1.99.0",
            EntryAssembly = "ScoreHub.TestPlugins.FutureMinor",
            Kinds = ["signal-source"]
        }, folder);
        var hiding = TestPackages.Pack(new()
        {
            Id = "test.future-minor",
            Version = "1.0.0",
            SdkVersion = "1.1.0",
            EntryAssembly = "ScoreHub.TestPlugins.FutureMinor",
            Kinds = ["signal-source"]
        }, folder);

        await AssertRefusedAsync(await _app.InstallAsync(honest), (HttpStatusCode)422,
            $"Plugin test.future-minor 1.0.0 is built against ScoreHub.Sdk 1.99.0; this host provides ScoreHub.Sdk {ScoreHub.Sdk.ScoreHubSdk.Version}", id: "test.future-minor");
        await AssertRefusedAsync(await _app.InstallAsync(hiding), (HttpStatusCode)422,
            $"Plugin test.future-minor 1.0.0 does not load: Incompatible: Built against ScoreHub.Sdk 1.99.0; this host provides {ScoreHub.Sdk.ScoreHubSdk.Version}", id: "test.future-minor");
    }

    [Fact]
    public async Task A_package_containing_the_sdk_is_a_400()
    {
        var withSdk = TestPackages.Zip([.. TestPackages.Entries(TestPackages.GoodV1()), ("lib/ScoreHub.Sdk.dll", "MZ"u8.ToArray())]);

        await AssertRefusedAsync(await _app.InstallAsync(withSdk), HttpStatusCode.BadRequest,
            "Not a valid plugin package: entry 'lib/ScoreHub.Sdk.dll': a package must not contain ScoreHub.Sdk; the host provides it.");
    }

    [Fact]
    public async Task A_workspace_key_is_a_403_and_no_key_is_a_401()
    {
        var ws = await _app.CreateWorkspaceAsync();

        await AssertRefusedAsync(await _app.InstallAsync(TestPackages.GoodV1(), ws.SecretKey), HttpStatusCode.Forbidden, "");
        await AssertRefusedAsync(await _app.InstallAsync(TestPackages.GoodV1(), key: null), HttpStatusCode.Unauthorized, "");
    }

    [Fact]
    public async Task A_body_that_is_not_labelled_as_a_zip_is_a_415()
    {
        using var content = new ByteArrayContent(TestPackages.GoodV1());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _app.Client(ScoreHubApp.AdminKey).PostAsync("/api/v1/plugins", content);

        await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "Send the package bytes as the body with Content-Type application/zip");
    }

    [Fact]
    public async Task A_package_over_the_size_limit_is_a_413()
    {
        _app.Dispose();
        _app = new ScoreHubApp(settings: new Dictionary<string, string?> { ["ScoreHub:MaxPluginPackageBytes"] = "1024" }) { KeepDataDirectory = true };

        await AssertRefusedAsync(await _app.InstallAsync(TestPackages.GoodV1()), HttpStatusCode.RequestEntityTooLarge,
            "The body is larger than the limit of 1024 bytes.");
    }

    /// <summary>The refusal has this status and a problem detail starting with <paramref name="detail"/>; nothing changed on disk or in the catalog.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string detail, string? stillInstalled = null, string id = "test.good")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (detail.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith(detail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var left = Directory.Exists(InstallDirectory)
            ? Directory.GetFileSystemEntries(InstallDirectory, "*", SearchOption.TopDirectoryOnly).Select(e => Path.GetFileName(e)!).ToArray()
            : [];
        var listed = (await (await _app.Client(ScoreHubApp.AdminKey).GetAsync("/api/v1/plugins")).JsonAsync()).EnumerateArray()
            .Where(p => p.GetProperty("id").GetString() == id).Select(p => p.GetProperty("version").GetString()!).ToArray();
        if (stillInstalled is null)
        {
            Assert.Empty(left);
            Assert.Empty(listed);
        }
        else
        {
            Assert.Equal([id], left);
            Assert.Equal([stillInstalled], Directory.GetDirectories(Path.Combine(InstallDirectory, id)).Select(d => Path.GetFileName(d)!));
            Assert.Equal([stillInstalled], listed);
        }
    }

    /// <summary>Per stored event of the contact, oldest first: the <c>plugin-version</c> property, or "v1" without one.</summary>
    private async Task<string[]> PluginVersionsOfEventsAsync(TestWorkspace ws, string email)
    {
        var contact = Assert.Single(await _app.ContactsAsync(ws, email));
        var events = await (await _app.Client(ws.SecretKey).GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).JsonAsync();
        return [.. events.EnumerateArray()
            .OrderBy(e => e.GetProperty("id").GetString(), StringComparer.Ordinal)
            .Select(e => e.GetProperty("properties").TryGetProperty("plugin-version", out var v) ? v.GetString()! : "v1")];
    }
}
