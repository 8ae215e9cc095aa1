using System.Text.RegularExpressions;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The runnable examples of the plugin guide: a fenced block right after <c>&lt;!-- example: name --&gt;</c> in
/// docs/plugins/*.md. Tests run them as written (bash) or compare them with what the code produces (JSON), and
/// <see cref="DocsSnippetTests"/> checks that every curl and JSON block is one of them and is used by a test.
/// </summary>
internal static partial class DocsExamples
{
    public static string PagesDirectory { get; } = Path.Combine(PackedSdk.RepoRoot, "docs", "plugins");

    /// <summary>The code of the example <paramref name="name"/> on <paramref name="page"/>; fails the test when there is none.</summary>
    public static string Get(string page, string name)
    {
        var example = Named(page).SingleOrDefault(e => e.Name == name);
        Assert.True(example.Code is not null, $"docs/plugins/{page} has no example named '{name}'.");
        return example.Code;
    }

    /// <summary>Every named example of a page.</summary>
    public static IEnumerable<(string Name, string Language, string Code)> Named(string page) =>
        Example().Matches(File.ReadAllText(Path.Combine(PagesDirectory, page)))
            .Select(m => (m.Groups["name"].Value, m.Groups["lang"].Value, m.Groups["code"].Value));

    /// <summary>Every fenced block of a page, with whether it is a named example.</summary>
    public static IEnumerable<(string Language, string Code, bool Named)> Blocks(string page) =>
        Fence().Matches(File.ReadAllText(Path.Combine(PagesDirectory, page)))
            .Select(m => (m.Groups["lang"].Value, m.Groups["code"].Value, m.Groups["marker"].Success));

    /// <summary>
    /// The script without the line that sets <paramref name="variable"/> for the reader (<c>export NAME=...</c>), so a
    /// test can give it its own value.
    /// </summary>
    public static string WithoutExport(string script, string variable) =>
        string.Join('\n', script.Split('\n').Where(l => !l.TrimStart().StartsWith($"export {variable}=", StringComparison.Ordinal)));

    [GeneratedRegex(@"<!-- example: (?<name>[a-z0-9-]+) -->\r?\n```(?<lang>[a-z]*)\r?\n(?<code>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex Example();

    [GeneratedRegex(@"(?<marker><!-- example: [a-z0-9-]+ -->\r?\n)?^```(?<lang>[a-z]+)\r?\n(?<code>.*?)\r?\n```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();
}
