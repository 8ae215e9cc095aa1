using System.Text.RegularExpressions;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The plugin guide quotes compiled code: every block after <c>&lt;!-- snippet: path --&gt;</c> in docs/plugins/*.md must
/// still be in that file, line for line (indentation aside), so the guide cannot drift from the sample it quotes.
/// </summary>
public sealed partial class DocsSnippetTests
{
    public static TheoryData<string> Pages() =>
        [.. Directory.EnumerateFiles(Path.Combine(PackedSdk.RepoRoot, "docs", "plugins"), "*.md").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_snippet_in_the_plugin_guide_is_quoted_verbatim_from_its_file(string page)
    {
        var text = File.ReadAllText(Path.Combine(PackedSdk.RepoRoot, "docs", "plugins", page));

        foreach (Match snippet in Snippet().Matches(text))
        {
            var path = snippet.Groups["path"].Value;
            var source = Lines(File.ReadAllText(Path.Combine(PackedSdk.RepoRoot, path)));
            var quoted = Lines(snippet.Groups["code"].Value);

            Assert.True(quoted.Count > 0, $"{page}: an empty snippet of {path}.");
            Assert.True(Enumerable.Range(0, source.Count - quoted.Count + 1).Any(i => source.Skip(i).Take(quoted.Count).SequenceEqual(quoted)),
                $"{page}: a snippet is no longer in {path}:\n{snippet.Groups["code"].Value}");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_curl_and_json_example_in_the_plugin_guide_is_run_by_a_test(string page)
    {
        var runners = Directory.EnumerateFiles(Path.Combine(PackedSdk.RepoRoot, "tests", "ScoreHub.Sdk.Tests"), "*.cs")
            .SelectMany(file => ExampleUse().Matches(File.ReadAllText(file)).Select(m => (m.Groups["page"].Value, m.Groups["name"].Value)))
            .ToHashSet();

        foreach (var (language, code, named) in DocsExamples.Blocks(page))
        {
            Assert.True(!(language == "json" || code.Contains("curl ", StringComparison.Ordinal)) || named,
                $"{page}: this {language} example is not marked <!-- example: name --> for a test to run:\n{code}");
        }

        foreach (var (name, _, _) in DocsExamples.Named(page))
        {
            Assert.True(runners.Contains((page, name)), $"{page}: no test calls DocsExamples.Get(\"{page}\", \"{name}\").");
        }
    }

    private static List<string> Lines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    [GeneratedRegex(@"<!-- snippet: (?<path>\S+) -->\r?\n[^\n]*\r?\n```[a-z]*\r?\n(?<code>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"DocsExamples\.Get\(""(?<page>[^""]+)"", ""(?<name>[^""]+)""\)")]
    private static partial Regex ExampleUse();
}
