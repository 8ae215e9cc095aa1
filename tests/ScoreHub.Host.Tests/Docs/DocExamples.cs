using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScoreHub.Host.Tests.Docs;

/// <summary>
/// Runs a page's examples top to bottom against a host, as a reader pasting them into a shell would. The rules:
/// <list type="bullet">
/// <item>every curl in a <c>bash</c> block runs, in order, and must answer 2xx;</item>
/// <item>a <c>json</c> block after a <c>bash</c> block, with at most three lines of prose between them, is the answer of
/// that block's last curl: the status in that prose (<c>`201 Created`</c>, else 200) must match, and every property
/// the example shows must be in the answer with the same JSON kind, recursively (values are examples; <c>null</c>
/// stands for any value);</item>
/// <item>a GET that does not answer so yet is asked again for up to 10 s: answers that depend on the outbox or on
/// re-scoring come a moment later, as they do for the reader;</item>
/// <item>a block after <c>&lt;!-- not run: why --&gt;</c> is skipped, and the test lists it with its reason.</item>
/// </list>
/// </summary>
public static partial class DocExamples
{
    public static async Task<IReadOnlyList<string>> RunAsync(string page, HttpClient client, IReadOnlyDictionary<string, string> variables)
    {
        var blocks = Markdown.Blocks(Markdown.Read(page));
        var skipped = new List<string>();
        var ran = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            if (block.Info != "bash")
            {
                continue;
            }

            if (NotRun().Match(block.ProseBefore) is { Success: true } notRun)
            {
                skipped.Add($"{page}:{block.Line}: {notRun.Groups["why"].Value.Trim()}");
                continue;
            }

            var expected = b + 1 < blocks.Count && blocks[b + 1].Info == "json" && Answers(blocks[b + 1].ProseBefore) is { } status
                ? (Status: status, Json: blocks[b + 1].Code)
                : ((int Status, string Json)?)null;

            var commands = Curl.Parse(block.Code, variables);
            Assert.True(commands.Count > 0, $"{page}:{block.Line}: a bash block with no curl command.");
            for (var i = 0; i < commands.Count; i++)
            {
                var last = i == commands.Count - 1;
                await RunAsync(client, commands[i], $"{page}:{block.Line}", last ? expected : null);
                ran++;
            }
        }

        Assert.True(ran > 0, $"{page}: no example was run.");
        return skipped;
    }

    private static async Task RunAsync(HttpClient client, Curl curl, string where, (int Status, string Json)? expected)
    {
        var patience = TimeSpan.FromSeconds(curl.Method == "GET" ? 10 : 0);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var request = curl.ToRequest();
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var problem = (int)response.StatusCode is < 200 or > 299
                ? $"answered {(int)response.StatusCode}"
                : expected is { } e ? Mismatch(e, (int)response.StatusCode, text) : null;

            if (problem is null)
            {
                return;
            }

            if (waited.Elapsed >= patience)
            {
                Assert.Fail($"{where}: {curl} {problem}:\n{text}");
            }

            await Task.Delay(200);
        }
    }

    private static string? Mismatch((int Status, string Json) expected, int status, string text)
    {
        if (status != expected.Status)
        {
            return $"answered {status}, the page says {expected.Status}";
        }

        JsonElement documented;
        try
        {
            documented = JsonDocument.Parse(expected.Json).RootElement;
        }
        catch (JsonException e)
        {
            return $"has a documented answer that is not JSON ({e.Message})";
        }

        var differences = new List<string>();
        Compare(documented, JsonDocument.Parse(text).RootElement, "$", differences);
        return differences.Count == 0 ? null : "answered another shape than the page shows: " + string.Join("; ", differences);
    }

    /// <summary>Every property of <paramref name="documented"/> is in <paramref name="actual"/> with the same kind, recursively.</summary>
    public static void Compare(JsonElement documented, JsonElement actual, string path, List<string> differences)
    {
        if (documented.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(documented) != Kind(actual))
        {
            differences.Add($"{path} is {actual.ValueKind}, documented as {documented.ValueKind}");
            return;
        }

        if (documented.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in documented.EnumerateObject())
            {
                if (actual.TryGetProperty(property.Name, out var value))
                {
                    Compare(property.Value, value, $"{path}.{property.Name}", differences);
                }
                else
                {
                    differences.Add($"{path}.{property.Name} is missing");
                }
            }
        }
        else if (documented.ValueKind == JsonValueKind.Array)
        {
            var actualItems = actual.EnumerateArray().ToList();
            var documentedItems = documented.EnumerateArray().ToList();
            if (documentedItems.Count > 0 && actualItems.Count == 0)
            {
                differences.Add($"{path} is empty, documented with items");
            }

            for (var i = 0; i < Math.Min(documentedItems.Count, actualItems.Count); i++)
            {
                Compare(documentedItems[i], actualItems[i], $"{path}[{i}]", differences);
            }
        }
    }

    /// <summary>The status a json block documents when at most three lines of prose lead to it from a bash block: the first <c>`NNN`</c>, else 200.</summary>
    private static int? Answers(string prose)
    {
        var lines = prose.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > 3)
        {
            return null;
        }

        return ExpectedStatus().Match(prose) is { Success: true } status
            ? int.Parse(status.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 200;
    }

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;

    [GeneratedRegex(@"<!-- not run: (?<why>.*?) -->")]
    private static partial Regex NotRun();

    [GeneratedRegex(@"`(?<status>[1-5]\d\d)[^`]*`")]
    private static partial Regex ExpectedStatus();
}
