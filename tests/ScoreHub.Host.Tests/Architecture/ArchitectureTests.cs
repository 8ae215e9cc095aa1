using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NetArchTest.Rules;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Architecture;

/// <summary>The layout ADR 0016 decides, checked on the compiled assemblies (folders give no compiler to do it).</summary>
public sealed class ArchitectureTests
{
    private const string Core = "ScoreHub.Host.Core";
    private static readonly System.Reflection.Assembly Host = typeof(Ledger).Assembly;

    [Fact]
    public void The_core_references_neither_ASP_NET_Core_nor_the_web_part()
    {
        var result = Types.InAssembly(Host).That().ResideInNamespace(Core)
            .ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "ScoreHub.Host.Features", "ScoreHub.Host.Infrastructure")
            .GetResult();

        Assert.True(result.IsSuccessful, "Core types reaching into HTTP: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_ledger_model_reaches_its_storage_only_through_the_interface_it_owns()
    {
        var result = Types.InAssembly(Host).That().ResideInNamespace(Core + ".Leads")
            .ShouldNot().HaveDependencyOnAny("LiteDB", "ScoreHub.Host.Storage")
            .GetResult();

        Assert.True(result.IsSuccessful, "Ledger types reaching into LiteDB: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Core_features_depend_on_each_other_without_cycles()
    {
        var features = Host.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Core + ".", StringComparison.Ordinal)).Distinct().ToList();
        var edges = features.ToDictionary(f => f, f => features.Where(other => other != f && Types.InAssembly(Host)
            .That().ResideInNamespaceMatching("^" + f.Replace(".", "\\.", StringComparison.Ordinal) + "$")
            .And().HaveDependencyOn(other).GetTypes().Any()).ToList());

        var cycle = FindCycle(edges);
        Assert.True(cycle is null, "A cycle between core features: " + string.Join(" -> ", cycle ?? []));
    }

    [Fact]
    public void First_party_plugins_reference_only_the_sdk_the_bcl_and_the_logging_abstractions()
    {
        var assemblies = Directory.GetFiles(PluginDirectories.FirstParty, "ScoreHub.Plugins.*.dll", SearchOption.AllDirectories);
        Assert.NotEmpty(assemblies);
        var offending = assemblies
            .SelectMany(path => References(path).Where(r => !IsAllowedForPlugins(r)).Select(r => $"{Path.GetFileName(path)} -> {r}"))
            .ToList();

        Assert.Empty(offending);
    }

    private static bool IsAllowedForPlugins(string reference) =>
        reference is "ScoreHub.Sdk" or "netstandard" or "mscorlib" or "Microsoft.Extensions.Logging.Abstractions" ||
        reference.StartsWith("System", StringComparison.Ordinal) ||
        reference.StartsWith("ScoreHub.Plugins.", StringComparison.Ordinal) ||
        reference.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);

    private static List<string> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return [.. reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))];
    }

    private static List<string>? FindCycle(Dictionary<string, List<string>> edges)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges[node])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.SkipWhile(n => n != next), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return edges.Keys.Select(k => state.GetValueOrDefault(k) == 0 ? Visit(k) : null).FirstOrDefault(c => c is not null);
    }
}
