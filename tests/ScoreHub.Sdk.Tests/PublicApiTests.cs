using System.Reflection;
using System.Text;
using ScoreHub.Sdk;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The SDK's public surface is a promise to plugin authors, and so is the test kit's (their tests derive from its
/// suites). These listings make every change to either a visible diff of PublicApi.approved.txt or
/// PublicApi.Testing.approved.txt; a removal or signature change within a major is a breaking change and needs an ADR.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>The tracked packages: ScoreHub.Sdk, and (since 1.2) its test kit, which plugin tests derive from.</summary>
    public static TheoryData<string, string> Packages() => new()
    {
        { "ScoreHub.Sdk", "PublicApi.approved.txt" },
        { "ScoreHub.Sdk.Testing", "PublicApi.Testing.approved.txt" },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Public_api_matches_the_approved_listing(string package, string approvedFile)
    {
        var assembly = package == "ScoreHub.Sdk" ? typeof(IScoreHubPlugin).Assembly : typeof(ScoreHub.Sdk.Testing.ContractAssert).Assembly;
        var actual = Listing(assembly);
        var approvedPath = Path.Combine(AppContext.BaseDirectory, approvedFile);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (actual != approved)
        {
            var received = Path.Combine(SourceDirectory(), approvedFile.Replace(".approved.", ".received.", StringComparison.Ordinal));
            File.WriteAllText(received, actual);
            Assert.Fail($"The public API of {package} changed. Review {received}; if intended, copy it over {approvedFile}.");
        }
    }

    [Fact]
    public void Assembly_version_is_fixed_to_the_major()
    {
        var version = typeof(IScoreHubPlugin).Assembly.GetName().Version!;
        Assert.Equal(new Version(ScoreHubSdk.Major, 0, 0, 0), version);
        Assert.StartsWith($"{ScoreHubSdk.Major}.{ScoreHubSdk.Minor}.", ScoreHubSdk.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Sdk_depends_only_on_the_bcl_and_logging_abstractions()
    {
        var references = typeof(IScoreHubPlugin).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name == "Microsoft.Extensions.Logging.Abstractions",
            $"Unexpected SDK dependency: {name}"));
    }

    [Fact]
    public void Sdk_classes_are_sealed_so_members_can_be_added_without_breaking_plugins()
    {
        var unsealed = typeof(IScoreHubPlugin).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed))
            .Select(t => t.FullName);
        Assert.Empty(unsealed);
    }

    internal static string Listing(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(Kind(type)).Append(' ').Append(type.FullName);
            var bases = new List<string>();
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
            {
                bases.Add(Name(b));
            }

            bases.AddRange(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
            if (bases.Count > 0)
            {
                text.Append(" : ").Append(string.Join(", ", bases));
            }

            text.Append('\n');
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(Describe)
                .Where(d => d is not null)
                // A class that can be derived from (the test kit's suites) also promises its protected members.
                .Concat(type.IsClass && !type.IsSealed
                    ? type.GetMembers(BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                        .Where(m => IsProtected(m) && m is not MethodInfo { IsSpecialName: true })
                        .Select(m => "protected " + Describe(m))
                    : [])
                .Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Kind(Type type) =>
        type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" :
        type.IsAbstract && type.IsSealed ? "static class" : "class";

    private static string? Describe(MemberInfo member) => member switch
    {
        PropertyInfo p => $"property {Name(p.PropertyType)} {p.Name} {{ {(Visible(p.GetMethod) ? "get; " : "")}{(Visible(p.SetMethod) ? (IsInit(p) ? "init; " : "set; ") : "")}}}{(IsRequired(p) ? " required" : "")}",
        FieldInfo f when f.DeclaringType!.IsEnum => f.IsSpecialName ? null : $"{f.Name} = {f.GetRawConstantValue()}",
        FieldInfo f => $"field {(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + f.GetRawConstantValue() : "")}",
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"method {(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}({Parameters(m)})",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type t => $"nested {t.Name}",
        _ => null,
    };

    private static bool IsProtected(MemberInfo member) => member switch
    {
        PropertyInfo p => (p.GetMethod ?? p.SetMethod) is { } accessor && (accessor.IsFamily || accessor.IsFamilyOrAssembly),
        FieldInfo f => f.IsFamily || f.IsFamilyOrAssembly,
        MethodBase m => m.IsFamily || m.IsFamilyOrAssembly,
        _ => false,
    };

    private static bool Visible(MethodInfo? accessor) =>
        accessor is not null && (accessor.IsPublic || accessor.IsFamily || accessor.IsFamilyOrAssembly);

    private static bool IsInit(PropertyInfo p) =>
        p.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static bool IsRequired(PropertyInfo p) =>
        p.CustomAttributes.Any(a => a.AttributeType.Name == "RequiredMemberAttribute");

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if ((type.IsArray || type.IsByRef) && type.GetElementType() is { IsGenericType: true } element)
        {
            return Name(element) + (type.IsArray ? "[]" : "&");
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var name = type.GetGenericTypeDefinition().FullName!;
        return name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
