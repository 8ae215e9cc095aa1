using System.Net.Http.Headers;
using System.Text;

namespace ScoreHub.Host.Tests.Docs;

/// <summary>
/// The curl commands of a documented <c>bash</c> block, read as the shell would (quotes, <c>\</c> line continuations,
/// <c>#</c> comments, <c>$VAR</c> and <c>$(cat data/admin.key)</c>) and turned into requests. Only the curl options the
/// manual uses are understood (<c>-s -X -H -d --data-binary -u</c>); anything else fails the test, so a new example
/// that the runner cannot read is noticed rather than skipped.
/// </summary>
public sealed record Curl(string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body, string? BasicUser)
{
    public static IReadOnlyList<Curl> Parse(string script, IReadOnlyDictionary<string, string> variables)
    {
        var commands = new List<Curl>();
        foreach (var words in Commands(script, variables))
        {
            if (words.Count == 0)
            {
                continue;
            }

            if (words[0] != "curl")
            {
                throw new FormatException($"Not a curl command: {string.Join(' ', words)}");
            }

            commands.Add(FromWords(words));
        }

        return commands;
    }

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Url);
        string? contentType = null;
        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (BasicUser is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BasicUser)));
        }

        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            // curl's default for -d, as a reader's shell would send it.
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/x-www-form-urlencoded");
        }

        return request;
    }

    public override string ToString() => $"{Method} {Url}";

    private static Curl FromWords(List<string> words)
    {
        string? method = null, url = null, body = null, user = null;
        var headers = new List<(string, string)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-s":
                    break;
                case "-X":
                    method = words[++i];
                    break;
                case "-H":
                    var header = words[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d" or "--data" or "--data-binary":
                    body = words[++i];
                    if (body.StartsWith('@'))
                    {
                        throw new FormatException($"A body from a file ({body}) cannot be run; give the example its body inline.");
                    }

                    break;
                case "-u":
                    user = words[++i];
                    break;
                case var word when word.StartsWith('-'):
                    throw new FormatException($"The docs runner does not know curl's {word}.");
                default:
                    url = url is null ? words[i] : throw new FormatException($"Two URLs: {url} and {words[i]}.");
                    break;
            }
        }

        return new Curl(method ?? (body is null ? "GET" : "POST"), url ?? throw new FormatException("A curl without a URL."), headers, body, user);
    }

    /// <summary>Splits a script into commands of words, as bash would for the subset the manual uses.</summary>
    private static List<List<string>> Commands(string script, IReadOnlyDictionary<string, string> variables)
    {
        var commands = new List<List<string>> { new() };
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            switch (c)
            {
                case '\\' when i + 1 < script.Length && script[i + 1] == '\n':
                    i++;
                    break;
                case '\\' when i + 1 < script.Length:
                    word.Append(script[++i]);
                    inWord = true;
                    break;
                case '\'':
                    var close = script.IndexOf('\'', i + 1);
                    word.Append(script, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    var end = script.IndexOf('"', i + 1);
                    word.Append(Expand(script[(i + 1)..end], variables));
                    i = end;
                    inWord = true;
                    break;
                case '#' when !inWord:
                    while (i + 1 < script.Length && script[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        commands[^1].Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    if (c == '\n')
                    {
                        commands.Add([]);
                    }

                    break;
                case '$':
                    var (value, length) = Variable(script, i, variables);
                    word.Append(value);
                    i += length - 1;
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            commands[^1].Add(word.ToString());
        }

        return commands;
    }

    private static string Expand(string text, IReadOnlyDictionary<string, string> variables)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$')
            {
                var (value, length) = Variable(text, i, variables);
                result.Append(value);
                i += length - 1;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    /// <summary>The value of <c>$NAME</c>, <c>${NAME}</c> or <c>$(command)</c> at <paramref name="at"/>, and how many characters it spans.</summary>
    private static (string Value, int Length) Variable(string text, int at, IReadOnlyDictionary<string, string> variables)
    {
        string name;
        int length;
        if (text[at + 1] == '(')
        {
            var close = text.IndexOf(')', at);
            name = text[at..(close + 1)];
            length = close - at + 1;
        }
        else if (text[at + 1] == '{')
        {
            var close = text.IndexOf('}', at);
            name = text[(at + 2)..close];
            length = close - at + 1;
        }
        else
        {
            var end = at + 1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            name = text[(at + 1)..end];
            length = end - at;
        }

        return variables.TryGetValue(name, out var value)
            ? (value, length)
            : throw new FormatException($"The docs runner has no value for {(name.StartsWith('$') ? name : "$" + name)}.");
    }
}
