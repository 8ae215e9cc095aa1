using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;
using ScoreHub.Packaging;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>Why a plugin is or is not in service.</summary>
internal enum PluginStatus
{
    Loaded,
    Failed,
    Incompatible,
    NotAPlugin,
}

/// <summary>One installed plugin, whatever its state; <see cref="Instance"/> is set only when loaded.</summary>
internal sealed record PluginEntry(
    string Id,
    string Folder,
    PluginStatus Status,
    string? Reason,
    PluginManifest? Manifest,
    IScoreHubPlugin? Instance)
{
    public string Version => Manifest?.Version ?? "";

    /// <summary>The collectible load context of a trial load (see <see cref="PluginCatalog.Load(string, string, bool)"/>), to dispose after it.</summary>
    public IDisposable? TrialContext { get; init; }
    public PluginKinds Kinds => Manifest?.Kinds ?? PluginKinds.None;
}

/// <summary>
/// Finds installed plugins (one folder per plugin, its main assembly named like the folder) and loads each once
/// per process into its own load context with the SDK's types shared (McMaster.NETCore.Plugins). Every decision
/// is recorded with a reason and shown at <c>GET /api/v1/plugins</c>; a plugin that fails is skipped, never fatal.
/// </summary>
internal sealed class PluginCatalog(IOptions<ScoreHubOptions> options, ILogger<PluginCatalog> logger)
{
    private static readonly Version HostSdk = typeof(IScoreHubPlugin).Assembly.GetName().Version!;

    private static readonly Type[] SharedTypes =
    [
        typeof(IScoreHubPlugin), typeof(ISignalSource), typeof(IScoringStrategy), typeof(ILeadAction),
        typeof(Microsoft.Extensions.Logging.ILogger),
    ];

    private readonly ConcurrentDictionary<string, PluginEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<PluginEntry> All => [.. _entries.Values.OrderBy(e => e.Id, StringComparer.Ordinal)];

    public PluginEntry? Find(string id) => _entries.GetValueOrDefault(id);

    /// <summary>Directories searched, in order; a plugin id found twice keeps the first loaded one.</summary>
    public IReadOnlyList<string> Directories
    {
        get
        {
            var o = options.Value;
            if (!string.IsNullOrWhiteSpace(o.PluginsDirectory))
            {
                return [.. o.PluginsDirectory.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath)];
            }

            return [Path.GetFullPath(Path.Combine(o.DataDirectory, "plugins"))];
        }
    }

    /// <summary>
    /// Where <c>POST /api/v1/plugins</c> installs packages: <c>&lt;DataDirectory&gt;/installed-plugins/&lt;id&gt;/&lt;version&gt;/</c>.
    /// Kept apart from <see cref="Directories"/>, whose folders are one plugin each.
    /// </summary>
    public string InstallDirectory => Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "installed-plugins"));

    /// <summary>
    /// Makes <paramref name="entry"/> the plugin every new call resolves (callers look the instance up per call), and
    /// returns the one it replaces. Calls already running on the old instance finish; it is never handed out again.
    /// </summary>
    public PluginEntry? Replace(PluginEntry entry)
    {
        PluginEntry? previous = null;
        _entries.AddOrUpdate(entry.Id, entry, (_, old) =>
        {
            previous = old;
            return entry;
        });
        return previous;
    }

    public void LoadAll()
    {
        LoadDirectories();
        LoadInstalled();
    }

    private void LoadDirectories()
    {
        foreach (var directory in Directories)
        {
            if (!Directory.Exists(directory))
            {
                logger.LogInformation("Plugins directory {Directory} does not exist; skipped", directory);
                continue;
            }

            foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                var entry = Load(folder);
                // An unloadable folder is listed under its folder name, which may equal a loaded plugin's id:
                // it must never replace that plugin. A loaded plugin does replace an earlier failure of the same id.
                if (_entries.TryGetValue(entry.Id, out var existing) && (existing.Status == PluginStatus.Loaded || entry.Status != PluginStatus.Loaded))
                {
                    logger.LogWarning("Plugin {Id} in {Folder} ({Status}) is already listed from {Existing}; skipped",
                        entry.Id, folder, entry.Status, existing.Folder);
                    continue;
                }

                _entries[entry.Id] = entry;
                if (entry.Status == PluginStatus.Loaded)
                {
                    logger.LogInformation("Plugin {Id} {Version} loaded ({Kinds})", entry.Id, entry.Version, entry.Kinds);
                }
                else
                {
                    logger.LogWarning("Plugin in {Folder}: {Status}: {Reason}", folder, entry.Status, entry.Reason);
                }
            }
        }
    }

    /// <summary>
    /// Loads, for each plugin id in <see cref="InstallDirectory"/>, the highest installed version that loads (an older one
    /// if the newest fails, which is logged), and lists it unless a plugin directory already provides a version at least as high.
    /// </summary>
    private void LoadInstalled()
    {
        var root = InstallDirectory;
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var idFolder in Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            var versions = Directory.GetDirectories(idFolder)
                .Select(d => (Folder: d, Ok: SemanticVersion.TryParse(Path.GetFileName(d), out var v), Version: v))
                .Where(v => v.Ok)
                .OrderByDescending(v => v.Version);
            PluginEntry? newestFailure = null;
            foreach (var (folder, _, version) in versions)
            {
                var entry = LoadInstalledFolder(folder);
                if (entry.Status != PluginStatus.Loaded)
                {
                    logger.LogWarning("Installed plugin in {Folder}: {Status}: {Reason}", folder, entry.Status, entry.Reason);
                    newestFailure ??= entry;
                    continue;
                }

                newestFailure = null;

                if (_entries.TryGetValue(entry.Id, out var existing) && existing.Status == PluginStatus.Loaded
                    && SemanticVersion.TryParse(existing.Version, out var existingVersion) && existingVersion >= version)
                {
                    logger.LogWarning("Installed plugin {Id} {Version} is not newer than {Existing} from {Folder}; skipped",
                        entry.Id, entry.Version, existing.Version, existing.Folder);
                    break;
                }

                _entries[entry.Id] = entry;
                logger.LogInformation("Plugin {Id} {Version} loaded from the install folder ({Kinds})", entry.Id, entry.Version, entry.Kinds);
                break;
            }

            // Nothing of this id loads: list the newest failure so GET /api/v1/plugins says why.
            if (newestFailure is not null)
            {
                _entries.TryAdd(Path.GetFileName(idFolder), newestFailure with { Id = Path.GetFileName(idFolder) });
            }
        }
    }

    /// <summary>Loads an installed package's folder (its manifest names the entry assembly); never throws.</summary>
    public static PluginEntry LoadInstalledFolder(string folder, bool unloadable = false)
    {
        var manifestPath = Path.Combine(folder, PackageFormat.ManifestName);
        var manifest = File.Exists(manifestPath) ? PackageFormat.Deserialize(File.ReadAllBytes(manifestPath), out _) : null;
        return manifest?.EntryAssembly is { } entryAssembly
            ? Load(folder, entryAssembly, unloadable)
            : new PluginEntry(Path.GetFileName(folder), folder, PluginStatus.Failed, $"No readable {PackageFormat.ManifestName}.", null, null);
    }

    /// <summary>Loads one plugin folder whose main assembly is named like the folder; never throws.</summary>
    public static PluginEntry Load(string folder) => Load(folder, Path.GetFileName(folder), unloadable: false);

    /// <summary>
    /// Loads <c>&lt;assemblyName&gt;.dll</c> from <paramref name="folder"/> into its own load context; never throws.
    /// <paramref name="unloadable"/> makes the context collectible, for a trial load that is disposed right after.
    /// </summary>
    public static PluginEntry Load(string folder, string assemblyName, bool unloadable)
    {
        var name = assemblyName;
        var assemblyPath = Path.Combine(folder, name + ".dll");
        if (!File.Exists(assemblyPath))
        {
            return new PluginEntry(name, folder, PluginStatus.NotAPlugin, $"No {name}.dll in the plugin folder.", null, null);
        }

        var sdkReference = ReferencedSdkVersion(assemblyPath, out var metadataError);
        if (metadataError is not null)
        {
            return new PluginEntry(name, folder, PluginStatus.Failed, metadataError, null, null);
        }

        if (sdkReference is null)
        {
            return new PluginEntry(name, folder, PluginStatus.NotAPlugin, "The assembly does not reference ScoreHub.Sdk.", null, null);
        }

        if (sdkReference.Major != HostSdk.Major)
        {
            return new PluginEntry(name, folder, PluginStatus.Incompatible,
                $"Built against ScoreHub.Sdk {sdkReference.Major}.x; this host provides {HostSdk.Major}.x.", null, null);
        }

        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config =>
            {
                config.PreferSharedTypes = true;
                config.IsUnloadable = unloadable;
            });
            var assembly = loader.LoadDefaultAssembly();
            var marker = assembly.GetCustomAttribute<ScoreHubPluginAttribute>();
            if (marker is null)
            {
                return new PluginEntry(name, folder, PluginStatus.NotAPlugin,
                    "The assembly has no [assembly: ScoreHubPlugin(typeof(...))] marker.", null, null)
                { TrialContext = unloadable ? loader : null };
            }

            if (!typeof(IScoreHubPlugin).IsAssignableFrom(marker.PluginType))
            {
                return new PluginEntry(name, folder, PluginStatus.Failed,
                    $"{marker.PluginType.FullName} does not implement IScoreHubPlugin (from the host's ScoreHub.Sdk).", null, null)
                { TrialContext = unloadable ? loader : null };
            }

            var instance = (IScoreHubPlugin)Activator.CreateInstance(marker.PluginType, nonPublic: true)!;
            var manifest = instance.Manifest;
            var problem = Check(manifest, instance);
            var trial = unloadable ? loader : null;
            return problem is null
                ? new PluginEntry(manifest.Id, folder, PluginStatus.Loaded, null, manifest, instance) { TrialContext = trial }
                : new PluginEntry(manifest.Id ?? name, folder, problem.Value.Status, problem.Value.Reason, manifest, null) { TrialContext = trial };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
            return new PluginEntry(name, folder, PluginStatus.Failed, $"{inner.GetType().Name}: {inner.Message}", null, null) { TrialContext = unloadable ? loader : null };
        }
    }

    private static (PluginStatus Status, string Reason)? Check(PluginManifest manifest, IScoreHubPlugin instance)
    {
        if (string.IsNullOrWhiteSpace(manifest.Id) || !System.Text.RegularExpressions.Regex.IsMatch(manifest.Id, "^[a-z0-9][a-z0-9.-]{0,63}$"))
        {
            return (PluginStatus.Failed, $"Manifest id '{manifest.Id}' must be 1-64 lower-case letters, digits, dots or dashes.");
        }

        if (!System.Version.TryParse(manifest.SdkVersion, out var sdk))
        {
            return (PluginStatus.Failed, $"Manifest SdkVersion '{manifest.SdkVersion}' is not a version.");
        }

        if (sdk.Major != ScoreHubSdk.Major || sdk.Minor > ScoreHubSdk.Minor)
        {
            return (PluginStatus.Incompatible,
                $"Built against ScoreHub.Sdk {manifest.SdkVersion}; this host provides {ScoreHubSdk.Version} (needs the same major and a minor at least the plugin's).");
        }

        if (manifest.Kinds == PluginKinds.None)
        {
            return (PluginStatus.Failed, "Manifest declares no kind.");
        }

        var missing = new List<string>();
        if (manifest.Kinds.HasFlag(PluginKinds.SignalSource) && instance is not ISignalSource)
        {
            missing.Add(nameof(ISignalSource));
        }

        if (manifest.Kinds.HasFlag(PluginKinds.ScoringStrategy) && instance is not IScoringStrategy)
        {
            missing.Add(nameof(IScoringStrategy));
        }

        if (manifest.Kinds.HasFlag(PluginKinds.Action) && instance is not ILeadAction)
        {
            missing.Add(nameof(ILeadAction));
        }

        return missing.Count == 0 ? null : (PluginStatus.Failed, $"Manifest declares kinds the type does not implement: {string.Join(", ", missing)}.");
    }

    /// <summary>Reads the ScoreHub.Sdk version the assembly references, without loading it.</summary>
    private static Version? ReferencedSdkVersion(string assemblyPath, out string? error)
    {
        error = null;
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                error = "The file is not a .NET assembly.";
                return null;
            }

            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                if (reader.GetString(reference.Name) == "ScoreHub.Sdk")
                {
                    return reference.Version;
                }
            }

            return null;
        }
        catch (BadImageFormatException ex)
        {
            error = $"The file is not a valid assembly: {ex.Message}";
            return null;
        }
    }
}
