using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using McMaster.NETCore.Plugins;
using ScoreHub.Packaging;
using ScoreHub.Sdk;

namespace ScoreHub.Cli;

/// <summary>
/// Reads a plugin's manifest from its build output the way the host will: finds the one assembly carrying
/// <c>[assembly: ScoreHubPlugin]</c> (by metadata, without loading anything else), loads it in its own context with
/// the SDK shared, and asks the plugin type for its manifest. The package manifest is then what the code says.
/// </summary>
internal static class PluginInspector
{
    private static readonly Type[] SharedTypes =
    [
        typeof(IScoreHubPlugin), typeof(ISignalSource), typeof(IScoringStrategy), typeof(ILeadAction),
        typeof(Microsoft.Extensions.Logging.ILogger),
    ];

    public static (PackageManifest? Manifest, string? Error) Inspect(string folder)
    {
        var candidates = Directory.GetFiles(folder, "*.dll")
            .Where(f => PackageFormat.BelongsInLib(Path.GetFileName(f)) && HasPluginMarker(f))
            .ToList();
        if (candidates.Count != 1)
        {
            return (null, candidates.Count == 0
                ? $"No assembly in {folder} carries [assembly: ScoreHubPlugin(typeof(...))]; pass a plugin's build output folder."
                : $"Several assemblies in {folder} carry [assembly: ScoreHubPlugin]: {string.Join(", ", candidates.Select(Path.GetFileName))}.");
        }

        var path = candidates[0];
        try
        {
            using var loader = PluginLoader.CreateFromAssemblyFile(path, SharedTypes, config =>
            {
                config.PreferSharedTypes = true;
                config.IsUnloadable = true;
            });
            var marker = loader.LoadDefaultAssembly().GetCustomAttribute<ScoreHubPluginAttribute>();
            if (marker is null || !typeof(IScoreHubPlugin).IsAssignableFrom(marker.PluginType))
            {
                return (null, $"{Path.GetFileName(path)}: the marked type does not implement IScoreHubPlugin from ScoreHub.Sdk {ScoreHubSdk.Version}.");
            }

            var manifest = ((IScoreHubPlugin)Activator.CreateInstance(marker.PluginType, nonPublic: true)!).Manifest;
            return (new PackageManifest
            {
                Id = manifest.Id,
                Version = manifest.Version,
                SdkVersion = manifest.SdkVersion,
                EntryAssembly = Path.GetFileNameWithoutExtension(path),
                Kinds = [.. KindNames(manifest.Kinds)],
            }, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
            return (null, $"{Path.GetFileName(path)} could not be loaded to read its manifest: {inner.GetType().Name}: {inner.Message}");
        }
    }

    private static IEnumerable<string> KindNames(PluginKinds kinds)
    {
        if (kinds.HasFlag(PluginKinds.SignalSource))
        {
            yield return "signal-source";
        }

        if (kinds.HasFlag(PluginKinds.ScoringStrategy))
        {
            yield return "scoring-strategy";
        }

        if (kinds.HasFlag(PluginKinds.Action))
        {
            yield return "action";
        }
    }

    /// <summary>Whether the assembly has an assembly-level attribute named ScoreHubPluginAttribute (metadata only).</summary>
    private static bool HasPluginMarker(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }

            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var constructor = reader.GetCustomAttribute(handle).Constructor;
                if (constructor.Kind == HandleKind.MemberReference
                    && reader.GetMemberReference((MemberReferenceHandle)constructor).Parent is { Kind: HandleKind.TypeReference } parent
                    && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) == nameof(ScoreHubPluginAttribute))
                {
                    return true;
                }
            }

            return false;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
