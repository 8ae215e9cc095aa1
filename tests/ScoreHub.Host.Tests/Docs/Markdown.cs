using System.Text.RegularExpressions;

namespace ScoreHub.Host.Tests.Docs;

/// <summary>Reads the manual's markdown: where the repository is, its routes and its fenced code blocks.</summary>
public static partial class Markdown
{
    /// <summary>The repository root: the first folder above the test binaries that holds <c>ScoreHub.sln</c>.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepoRoot, relativePath));

    /// <summary>
    /// The routes a page documents: a code span that opens a <c>###</c> heading or the first cell of a table row and
    /// reads <c>METHOD /path</c> (or <c>GET/DELETE /path</c>). The query string is not part of the route. Routes
    /// named in running prose are examples, not documentation of the route.
    /// </summary>
    public static IReadOnlySet<string> DocumentedRoutes(string markdown)
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            if (RouteAtStart().Match(line) is { Success: true } match)
            {
                var path = Normalize(match.Groups["path"].Value);
                foreach (var method in match.Groups["methods"].Value.Split('/'))
                {
                    routes.Add($"{method} {path}");
                }
            }
        }

        return routes;
    }

    /// <summary>Drops the query string and a trailing slash, so <c>/api/v1/contacts/?email=</c> is <c>/api/v1/contacts</c>.</summary>
    public static string Normalize(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>The fenced code blocks of a page in order, with their info string (<c>bash</c>, <c>json</c>) and the prose before each.</summary>
    public static IReadOnlyList<FencedBlock> Blocks(string markdown)
    {
        var blocks = new List<FencedBlock>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var prose = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                prose.Add(lines[i]);
                continue;
            }

            var info = lines[i][3..].Trim();
            var body = new List<string>();
            var start = i + 1;
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            blocks.Add(new FencedBlock(info, string.Join('\n', body), string.Join('\n', prose), start));
            prose.Clear();
        }

        return blocks;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScoreHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ScoreHub.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^(?:###\s+|\|\s*)`(?<methods>(?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (?<path>/[^`\s]*)`")]
    private static partial Regex RouteAtStart();
}

/// <summary>A fenced code block: its info string, its text, the prose since the previous block, and its first line (1-based).</summary>
public sealed record FencedBlock(string Info, string Code, string ProseBefore, int Line);
