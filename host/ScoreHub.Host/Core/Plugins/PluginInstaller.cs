using System.IO.Compression;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Packaging;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>Installs a <c>.shplugin</c> package into the running host (admin only).</summary>
internal sealed record InstallPlugin(Caller Caller, byte[] Package) : ICommand<InstallResult>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Admin];
}

/// <summary>A plugin version went live (see <see cref="PluginInstaller.Installed"/>).</summary>
internal sealed record PluginInstalled(string PluginId, string Version, string? PreviousVersion, PluginKinds Kinds);

/// <summary>
/// The answer to an install. <see cref="Changed"/> is false when the same version with the same content was already
/// installed (nothing was done). <see cref="Activations"/> says, per workspace, whether its settings carried over.
/// </summary>
internal sealed record InstallResult(
    string Id, string? Name, string Version, string? PreviousVersion, string SdkVersion, IReadOnlyList<string> Kinds, bool Changed,
    IReadOnlyList<CarriedActivation> Activations);

/// <summary>An existing activation after an upgrade: <c>carried-over</c>, or <c>needs-attention</c> with the reason.</summary>
internal sealed record CarriedActivation(string Workspace, string Status, string? Reason);

/// <summary>A package refused before anything went live; <see cref="Status"/> is the HTTP status (400, 409, 422).</summary>
internal sealed class PackageRefusedException(int status, string message, IDictionary<string, string[]>? errors = null) : Exception(message)
{
    public int Status { get; } = status;

    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static PackageRefusedException Invalid(string reason) => new(400, "Not a valid plugin package: " + reason);
}

/// <summary>
/// Validates a package completely (zip, paths, manifest, SDK compatibility, version order, a trial load of the assembly
/// in a collectible context), then extracts it to a staging folder renamed atomically to
/// <c>installed-plugins/&lt;id&gt;/&lt;version&gt;/</c>, loads it in its own context and swaps the catalog entry, so every
/// new call goes to the new version. One install at a time. See docs/adr/0013-plugin-packages.md.
/// </summary>
internal sealed class PluginInstaller(
    PluginCatalog catalog, Activations activations, PluginInvoker invoker, TimeProvider clock,
    ILogger<PluginInstaller> logger) : ICommandHandler<InstallPlugin, InstallResult>
{
    /// <summary>Uncompressed size a package may expand to: defeats zip bombs long before the disk fills.</summary>
    private const long MaxExpandedBytes = 512L * 1024 * 1024;

    private const string HashFile = ".content-sha256";

    private static readonly Version HostSdk = new(ScoreHubSdk.Major, ScoreHubSdk.Minor);

    private readonly Lock _gate = new();

    /// <summary>
    /// Raised after a new version went live, on the installing request's thread (the scoring feature recompiles
    /// published models of an upgraded strategy). Subscribed once at start; see <c>Startup</c>.
    /// </summary>
    public event Action<PluginInstalled>? Installed;

    public ValueTask<InstallResult> Handle(InstallPlugin command, CancellationToken ct)
    {
        var (manifest, files, hash) = Read(command.Package);
        InstallResult result;
        lock (_gate)
        {
            result = Install(manifest, files, hash);
        }

        if (result.Changed)
        {
            var kinds = Enum.GetValues<PluginKinds>().Where(k => k != PluginKinds.None && result.Kinds.Contains(PluginKindNames.Of(k)))
                .Aggregate(PluginKinds.None, (all, k) => all | k);
            Installed?.Invoke(new PluginInstalled(result.Id, result.Version, result.PreviousVersion, kinds));
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>Reads and checks everything that needs only the bytes: the zip, its paths, the manifest.</summary>
    internal static (PackageManifest Manifest, IReadOnlyList<(string Name, byte[] Content)> Files, string Hash) Read(byte[] package)
    {
        var files = new List<(string Name, byte[] Content)>();
        byte[]? manifestBytes = null;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read);
            long expanded = 0;
            foreach (var entry in zip.Entries)
            {
                var name = entry.FullName;
                if (!IsSafe(name))
                {
                    throw PackageRefusedException.Invalid($"entry '{name}' would be written outside the plugin folder.");
                }

                if (name.EndsWith('/'))
                {
                    continue; // a directory entry
                }

                if (name != PackageFormat.ManifestName && !name.StartsWith(PackageFormat.LibFolder, StringComparison.Ordinal))
                {
                    throw PackageRefusedException.Invalid($"entry '{name}' is neither {PackageFormat.ManifestName} nor under {PackageFormat.LibFolder}.");
                }

                if (name != PackageFormat.ManifestName && !PackageFormat.BelongsInLib(name))
                {
                    throw PackageRefusedException.Invalid($"entry '{name}': a package must not contain ScoreHub.Sdk; the host provides it.");
                }

                expanded += entry.Length;
                if (expanded > MaxExpandedBytes)
                {
                    throw PackageRefusedException.Invalid($"it expands to more than {MaxExpandedBytes / 1024 / 1024} MB.");
                }

                using var stream = entry.Open();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                if (name == PackageFormat.ManifestName)
                {
                    manifestBytes = content.ToArray();
                }

                files.Add((name, content.ToArray()));
            }
        }
        catch (InvalidDataException ex)
        {
            throw PackageRefusedException.Invalid(ex.Message);
        }

        if (manifestBytes is null)
        {
            throw PackageRefusedException.Invalid($"no {PackageFormat.ManifestName} at the root of the zip.");
        }

        var manifest = PackageFormat.Deserialize(manifestBytes, out var error) ?? throw PackageRefusedException.Invalid(error!);
        var errors = PackageFormat.Validate(manifest);
        if (errors.Count == 0 && !files.Any(f => f.Name == PackageFormat.LibFolder + manifest.EntryAssembly + ".dll"))
        {
            errors["manifest.entryAssembly"] = [$"The package has no {PackageFormat.LibFolder}{manifest.EntryAssembly}.dll."];
        }

        if (errors.Count > 0)
        {
            throw new PackageRefusedException(400, "Not a valid plugin package: the manifest is invalid.", errors);
        }

        var sdk = SemanticVersion.Parse(manifest.SdkVersion!);
        if (sdk.Major != HostSdk.Major || sdk.Minor > HostSdk.Minor)
        {
            throw new PackageRefusedException(422,
                $"Plugin {manifest.Id} {manifest.Version} is built against ScoreHub.Sdk {manifest.SdkVersion}; this host provides " +
                $"ScoreHub.Sdk {ScoreHubSdk.Version} (a plugin needs the same major and a minor no newer than the host's).");
        }

        return (manifest, files, PackageFormat.ContentHash(files));
    }

    /// <summary>A relative path made of plain segments: no root, drive, backslash, '.' or '..'.</summary>
    private static bool IsSafe(string name)
    {
        if (name.Length == 0 || name.Contains('\\') || name.Contains(':') || name.StartsWith('/'))
        {
            return false;
        }

        var segments = name.TrimEnd('/').Split('/');
        return segments.All(s => s.Length > 0 && s != "." && s != "..");
    }

    private InstallResult Install(PackageManifest manifest, IReadOnlyList<(string Name, byte[] Content)> files, string hash)
    {
        var id = manifest.Id!;
        var version = SemanticVersion.Parse(manifest.Version!);
        var current = catalog.Find(id);
        if (current is { Status: PluginStatus.Loaded } && SemanticVersion.TryParse(current.Version, out var installed))
        {
            if (version < installed)
            {
                throw new PackageRefusedException(409,
                    $"Plugin {id} {installed} is installed; {version} is older. Install a version higher than {installed}.");
            }

            if (version == installed)
            {
                if (InstalledHash(current.Folder) == hash)
                {
                    logger.LogInformation("Plugin install: {Id} {Version} is already installed with the same content; nothing changed", id, version);
                    return Result(current, previousVersion: null, changed: false, []);
                }

                throw new PackageRefusedException(409,
                    $"Plugin {id} {version} is already installed with different content. Publish the change as a higher version.");
            }
        }

        var root = catalog.InstallDirectory;
        var staging = Path.Combine(root, ".staging-" + Guid.NewGuid().ToString("N"));
        var target = Path.Combine(root, id, version.ToString());
        var moved = false;
        try
        {
            Extract(files, hash, staging);
            CheckTrialLoad(manifest, staging);

            Directory.CreateDirectory(Path.Combine(root, id));
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // a same-version folder that is not the loaded one (it failed before)
            }

            Directory.Move(staging, target); // atomic on one file system: the folder is complete or absent
            moved = true;
            var entry = PluginCatalog.LoadInstalledFolder(target);
            if (entry.Status != PluginStatus.Loaded)
            {
                throw new PackageRefusedException(422, $"Plugin {id} {version} does not load: {entry.Status}: {entry.Reason}");
            }

            var carried = CarryOverActivations(entry);
            var previous = catalog.Replace(entry);
            var previousVersion = previous is { Status: PluginStatus.Loaded } ? previous.Version : null;
            moved = false; // live now: the folder stays
            logger.LogInformation(
                "Audit: plugin {Id} {Version} installed (previous: {Previous}, sha256 {Hash}); {Carried} activation(s) carried over, {Attention} need attention",
                id, entry.Version, previousVersion ?? "none", hash, carried.Count(c => c.Reason is null), carried.Count(c => c.Reason is not null));
            return Result(entry, previousVersion, changed: true, carried);
        }
        finally
        {
            DeleteQuietly(staging);
            if (moved)
            {
                DeleteQuietly(target);
                if (Directory.Exists(Path.Combine(root, id)) && !Directory.EnumerateFileSystemEntries(Path.Combine(root, id)).Any())
                {
                    DeleteQuietly(Path.Combine(root, id));
                }
            }
        }
    }

    private static void Extract(IReadOnlyList<(string Name, byte[] Content)> files, string hash, string folder)
    {
        Directory.CreateDirectory(folder);
        var fullFolder = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        foreach (var (name, content) in files)
        {
            var relative = name == PackageFormat.ManifestName ? name : name[PackageFormat.LibFolder.Length..];
            var path = Path.GetFullPath(Path.Combine(folder, relative));
            if (!path.StartsWith(fullFolder, StringComparison.Ordinal))
            {
                throw PackageRefusedException.Invalid($"entry '{name}' would be written outside the plugin folder.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        File.WriteAllText(Path.Combine(folder, HashFile), hash);
    }

    /// <summary>Loads the staged plugin in a collectible context and checks it is what the manifest says; then unloads it.</summary>
    private static void CheckTrialLoad(PackageManifest manifest, string staging)
    {
        var trial = PluginCatalog.LoadInstalledFolder(staging, unloadable: true);
        try
        {
            if (trial.Status != PluginStatus.Loaded)
            {
                throw new PackageRefusedException(422,
                    $"Plugin {manifest.Id} {manifest.Version} does not load: {trial.Status}: {trial.Reason?.Replace(staging, "<package>", StringComparison.Ordinal)}");
            }

            var kinds = Enum.GetValues<PluginKinds>().Where(k => k != PluginKinds.None && trial.Kinds.HasFlag(k)).Select(PluginKindNames.Of).Order();
            if (trial.Id != manifest.Id || trial.Version != manifest.Version || !kinds.SequenceEqual(manifest.Kinds!.Order()))
            {
                throw new PackageRefusedException(422,
                    $"The package manifest says {manifest.Id} {manifest.Version} ({string.Join(", ", manifest.Kinds!)}) but the assembly " +
                    $"{manifest.EntryAssembly} says {trial.Id} {trial.Version} ({string.Join(", ", kinds)}).");
            }
        }
        finally
        {
            trial.TrialContext?.Dispose();
        }
    }

    /// <summary>
    /// Re-validates every workspace's settings with the new version before it goes live. Settings it rejects (or a
    /// validation that throws) leave the activation in place but marked as needing attention, with the reason; the
    /// workspace fixes it by activating again. Breakers are reset: the new version starts with a clean record.
    /// </summary>
    private List<CarriedActivation> CarryOverActivations(PluginEntry entry)
    {
        var carried = new List<CarriedActivation>();
        foreach (var activation in activations.ForPlugin(entry.Id))
        {
            invoker.Reset(activation.WorkspaceId, entry.Id);
            var declared = activation.Settings.CheckAgainst(entry.Manifest!.Settings);
            var report = declared.IsValid
                ? invoker.Invoke(activation.WorkspaceId, entry.Id, () => entry.Instance!.ValidateSettings(activation.Settings))
                : PluginCall<ValidationReport>.Ok(declared);
            string? attention = !report.Succeeded
                ? $"Version {entry.Version} failed to validate the settings: {report.Error}"
                : report.Value!.IsValid
                    ? null
                    : $"Version {entry.Version} rejects the settings: " + string.Join("; ", report.Value.Errors.Select(e => $"{e.Field}: {e.Message}"));
            invoker.Reset(activation.WorkspaceId, entry.Id);
            activations.Save(activation with { Attention = attention, UpdatedAt = attention == activation.Attention ? activation.UpdatedAt : clock.GetUtcNow() });
            carried.Add(new CarriedActivation(activation.WorkspaceId, attention is null ? "carried-over" : "needs-attention", attention));
        }

        return carried;
    }

    private static string? InstalledHash(string folder)
    {
        var path = Path.Combine(folder, HashFile);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static InstallResult Result(PluginEntry entry, string? previousVersion, bool changed, IReadOnlyList<CarriedActivation> carried) => new(
        entry.Id, entry.Manifest?.Name, entry.Version, previousVersion, entry.Manifest?.SdkVersion ?? "",
        [.. Enum.GetValues<PluginKinds>().Where(k => k != PluginKinds.None && entry.Kinds.HasFlag(k)).Select(PluginKindNames.Of)],
        changed, carried);

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
