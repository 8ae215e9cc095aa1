using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ScoreHub.Packaging;

// Compiled into the host (which reads packages) and the CLI (which writes them): one definition of the format.
// See docs/adr/0013-plugin-packages.md.

/// <summary><c>scorehub-plugin.json</c>, the manifest at the root of a <c>.shplugin</c> package.</summary>
internal sealed class PackageManifest
{
    [JsonPropertyName("formatVersion")]
    public int FormatVersion { get; init; } = PackageFormat.CurrentFormatVersion;

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("sdkVersion")]
    public string? SdkVersion { get; init; }

    [JsonPropertyName("entryAssembly")]
    public string? EntryAssembly { get; init; }

    [JsonPropertyName("kinds")]
    public IReadOnlyList<string>? Kinds { get; init; }
}

/// <summary>The <c>.shplugin</c> format: a zip with <c>scorehub-plugin.json</c> at the root and the assemblies under <c>lib/</c>.</summary>
internal static partial class PackageFormat
{
    public const int CurrentFormatVersion = 1;
    public const string ManifestName = "scorehub-plugin.json";
    public const string LibFolder = "lib/";
    public const string Extension = ".shplugin";

    /// <summary>The kind names used in the manifest and at <c>GET /api/v1/plugins</c>.</summary>
    public static readonly IReadOnlyList<string> KindNames = ["signal-source", "scoring-strategy", "action"];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,63}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex AssemblyNamePattern();

    /// <summary><c>&lt;id&gt;.&lt;version&gt;.shplugin</c>.</summary>
    public static string FileName(PackageManifest manifest) => $"{manifest.Id}.{manifest.Version}{Extension}";

    /// <summary>Whether a file of a plugin's build output belongs in <c>lib/</c>: never the SDK, which the host provides.</summary>
    public static bool BelongsInLib(string relativePath) =>
        !Path.GetFileName(relativePath).StartsWith("ScoreHub.Sdk.", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with a manifest, keyed by field (<c>manifest.id</c>...); empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(PackageManifest manifest)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors["manifest." + field] = [message];

        if (manifest.FormatVersion != CurrentFormatVersion)
        {
            Add("formatVersion", $"Format version {manifest.FormatVersion} is not supported; this host reads {CurrentFormatVersion}.");
        }

        if (string.IsNullOrEmpty(manifest.Id) || !IdPattern().IsMatch(manifest.Id))
        {
            Add("id", "'id' must be 1-64 lower-case letters, digits, dots or dashes, starting with a letter or digit.");
        }

        if (!SemanticVersion.TryParse(manifest.Version, out _))
        {
            Add("version", $"'version' must be a semantic version (1.2.3 or 1.2.3-beta.1), not '{manifest.Version}'.");
        }

        if (!SemanticVersion.TryParse(manifest.SdkVersion, out _))
        {
            Add("sdkVersion", $"'sdkVersion' must be the ScoreHub.Sdk version the plugin was built against (1.1.0), not '{manifest.SdkVersion}'.");
        }

        if (string.IsNullOrEmpty(manifest.EntryAssembly) || !AssemblyNamePattern().IsMatch(manifest.EntryAssembly)
            || manifest.EntryAssembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            Add("entryAssembly", "'entryAssembly' must be the plugin's assembly name without '.dll' (lib/<entryAssembly>.dll).");
        }

        if (manifest.Kinds is not { Count: > 0 } kinds || kinds.Any(k => !KindNames.Contains(k)))
        {
            Add("kinds", $"'kinds' must list one or more of: {string.Join(", ", KindNames)}.");
        }

        return errors;
    }

    public static byte[] Serialize(PackageManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Json);

    /// <summary>The manifest, or null with the reason when the bytes are not one.</summary>
    public static PackageManifest? Deserialize(ReadOnlySpan<byte> json, out string? error)
    {
        try
        {
            error = null;
            return JsonSerializer.Deserialize<PackageManifest>(json) ?? throw new JsonException("The manifest is null.");
        }
        catch (JsonException ex)
        {
            error = $"{ManifestName} is not a valid manifest: {ex.Message}";
            return null;
        }
    }

    /// <summary>
    /// Writes a package from a plugin's build output folder: every file but the SDK's under <c>lib/</c> (sub-folders kept),
    /// and the manifest. Entries are sorted and dated at a fixed instant so the same input gives the same bytes.
    /// </summary>
    public static void Write(Stream destination, PackageManifest manifest, string buildOutputFolder)
    {
        var fixedDate = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var manifestEntry = zip.CreateEntry(ManifestName);
        manifestEntry.LastWriteTime = fixedDate;
        using (var stream = manifestEntry.Open())
        {
            stream.Write(Serialize(manifest));
        }

        var files = Directory.GetFiles(buildOutputFolder, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(buildOutputFolder, f).Replace('\\', '/')))
            .Where(f => BelongsInLib(f.Relative))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            var entry = zip.CreateEntry(LibFolder + relative);
            entry.LastWriteTime = fixedDate;
            using var stream = entry.Open();
            using var source = File.OpenRead(full);
            source.CopyTo(stream);
        }
    }

    /// <summary>
    /// A hash of a package's content (entry names and bytes, in name order), not of the zip: the same plugin zipped twice
    /// with different timestamps or compression is the same content.
    /// </summary>
    public static string ContentHash(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(BitConverter.GetBytes((long)content.Length));
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>A semantic version (2.0.0): <c>major.minor.patch[-prerelease][+build]</c>, ordered by precedence.</summary>
internal sealed partial record SemanticVersion(int Major, int Minor, int Patch, string Prerelease) : IComparable<SemanticVersion>
{
    [GeneratedRegex(@"^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex Pattern();

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a semantic version.");

    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = new SemanticVersion(0, 0, 0, "");
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        version = new SemanticVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            match.Groups[4].Value);
        return true;
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        // A pre-release sorts before its release; pre-releases compare identifier by identifier.
        if (Prerelease.Length == 0 || other.Prerelease.Length == 0)
        {
            return (Prerelease.Length == 0, other.Prerelease.Length == 0) switch
            {
                (true, true) => 0,
                (true, false) => 1,
                _ => -1,
            };
        }

        var mine = Prerelease.Split('.');
        var theirs = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            var a = mine[i];
            var b = theirs[i];
            var aNumeric = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var an);
            var bNumeric = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var bn);
            var order = (aNumeric, bNumeric) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a, b),
            };
            if (order != 0)
            {
                return Math.Sign(order);
            }
        }

        return mine.Length.CompareTo(theirs.Length);
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => Prerelease.Length == 0 ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{Prerelease}";
}
