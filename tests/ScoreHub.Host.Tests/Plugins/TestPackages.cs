using System.IO.Compression;
using System.Text;
using ScoreHub.Host.Tests.Support;
using ScoreHub.Packaging;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>Real <c>.shplugin</c> packages made from the test plugins' build outputs, and deliberately bad ones.</summary>
internal static class TestPackages
{
    public static string GoodV1Folder => Path.Combine(PluginDirectories.TestPlugins, "ScoreHub.TestPlugins.Good");

    public static string GoodV2Folder => Path.Combine(PluginDirectories.TestPluginsV2, "ScoreHub.TestPlugins.Good");

    public static PackageManifest GoodManifest(string version = "1.2.3") => new()
    {
        Id = "test.good",
        Version = version,
        SdkVersion = "1.1.0",
        EntryAssembly = "ScoreHub.TestPlugins.Good",
        Kinds = ["signal-source"],
    };

    /// <summary>test.good 1.2.3 as the packer writes it.</summary>
    public static byte[] GoodV1() => Pack(GoodManifest(), GoodV1Folder);

    /// <summary>test.good 2.0.0 (accepts only mode "a"; its signals carry <c>plugin-version: 2</c>).</summary>
    public static byte[] GoodV2() => Pack(GoodManifest("2.0.0"), GoodV2Folder);

    public static byte[] Pack(PackageManifest manifest, string folder)
    {
        using var buffer = new MemoryStream();
        PackageFormat.Write(buffer, manifest, folder);
        return buffer.ToArray();
    }

    /// <summary>A zip with exactly these entries (name to content), for packages the packer would never write.</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Every entry of <paramref name="package"/>, to rebuild it with changes.</summary>
    public static (string Name, byte[] Content)[] Entries(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return [.. zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        })];
    }

    public static (string, byte[]) ManifestEntry(PackageManifest manifest) => (PackageFormat.ManifestName, PackageFormat.Serialize(manifest));

    /// <summary>test.good 1.2.3's manifest entry with some fields changed.</summary>
    public static (string, byte[]) GoodManifestEntry(string? id = null, string? sdkVersion = null, string? entryAssembly = null)
    {
        var good = GoodManifest();
        return ManifestEntry(new PackageManifest
        {
            Id = id ?? good.Id,
            Version = good.Version,
            SdkVersion = sdkVersion ?? good.SdkVersion,
            EntryAssembly = entryAssembly ?? good.EntryAssembly,
            Kinds = good.Kinds,
        });
    }

    public static (string, byte[]) ManifestJson(string json) => (PackageFormat.ManifestName, Encoding.UTF8.GetBytes(json));

    public static (string, byte[])[] GoodLib() => [.. Entries(GoodV1()).Where(e => e.Name != PackageFormat.ManifestName)];
}
