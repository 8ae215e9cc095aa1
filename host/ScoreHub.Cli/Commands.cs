using System.Net.Http.Headers;
using System.Text.Json;
using ScoreHub.Packaging;

namespace ScoreHub.Cli;

/// <summary>
/// <c>scorehub plugin install|list|pack</c>. Arguments are parsed by hand (three commands, a few options). Exit codes:
/// 0 done, 1 the host refused or could not be reached, 2 wrong usage. The admin key is never printed.
/// </summary>
internal static class Commands
{
    public const string DefaultUrl = "http://localhost:5080";
    public const string AdminKeyVariable = "SCOREHUB_ADMIN_KEY";

    private const string Usage = """
        Usage:
          scorehub plugin install <file.shplugin> [--url <host url>] [--admin-key <key>]
          scorehub plugin list [--url <host url>] [--admin-key <key>]
          scorehub plugin pack <plugin build output folder> [-o <folder>]

        --url defaults to http://localhost:5080; the admin key may come from SCOREHUB_ADMIN_KEY instead of --admin-key.
        """;

    /// <summary>Runs one command line; <paramref name="environment"/> and <paramref name="handler"/> (null: a real connection) are seams for tests.</summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        if (!Arguments.TryParse(args, out var parsed, out var usageError))
        {
            await stderr.WriteLineAsync(usageError);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        switch (parsed.Command)
        {
            case "pack":
                return Pack(parsed, stdout, stderr);
            case "install" or "list":
                var key = parsed.Option("admin-key") ?? environment(AdminKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                {
                    await stderr.WriteLineAsync($"An admin key is needed: --admin-key <key> or the {AdminKeyVariable} environment variable.");
                    return 2;
                }

                if (!Uri.TryCreate(parsed.Option("url") ?? DefaultUrl, UriKind.Absolute, out var url))
                {
                    await stderr.WriteLineAsync($"--url '{parsed.Option("url")}' is not an absolute URL.");
                    return 2;
                }

                using (var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false))
                {
                    http.BaseAddress = url;
                    http.Timeout = TimeSpan.FromMinutes(2);
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    try
                    {
                        return parsed.Command == "install"
                            ? await InstallAsync(http, parsed.Positional, stdout, stderr)
                            : await ListAsync(http, stdout, stderr);
                    }
                    catch (HttpRequestException ex)
                    {
                        await stderr.WriteLineAsync($"Could not reach {url}: {ex.Message}");
                        return 1;
                    }
                    catch (TaskCanceledException)
                    {
                        await stderr.WriteLineAsync($"{url} did not answer within {http.Timeout.TotalSeconds:0} s.");
                        return 1;
                    }
                }

            default:
                await stderr.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> InstallAsync(HttpClient http, string file, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file))
        {
            await stderr.WriteLineAsync($"No such file: {file}");
            return 2;
        }

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await http.PostAsync(new Uri("api/v1/plugins", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            await WriteProblemAsync(stderr, (int)response.StatusCode, body);
            return 1;
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var id = root.GetProperty("id").GetString();
        var version = root.GetProperty("version").GetString();
        if (!root.GetProperty("changed").GetBoolean())
        {
            await stdout.WriteLineAsync($"{id} {version} is already installed with the same content; nothing changed.");
            return 0;
        }

        var previous = root.GetProperty("previousVersion").GetString();
        await stdout.WriteLineAsync(previous is null ? $"Installed {id} {version}." : $"Upgraded {id} from {previous} to {version}.");
        foreach (var activation in root.GetProperty("activations").EnumerateArray())
        {
            var reason = activation.GetProperty("reason").GetString();
            await stdout.WriteLineAsync($"  workspace {activation.GetProperty("workspace").GetString()}: {activation.GetProperty("status").GetString()}"
                + (reason is null ? "" : $" ({reason})"));
        }

        return 0;
    }

    private static async Task<int> ListAsync(HttpClient http, TextWriter stdout, TextWriter stderr)
    {
        using var response = await http.GetAsync(new Uri("api/v1/plugins", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            await WriteProblemAsync(stderr, (int)response.StatusCode, body);
            return 1;
        }

        using var json = JsonDocument.Parse(body);
        var rows = json.RootElement.EnumerateArray().Select(p => new[]
        {
            p.GetProperty("id").GetString() ?? "",
            p.GetProperty("version").GetString() ?? "",
            p.GetProperty("status").GetString() ?? "",
            string.Join(",", p.GetProperty("kinds").EnumerateArray().Select(k => k.GetString())),
            p.GetProperty("reason").GetString() ?? "",
        }).ToList();
        string[] header = ["ID", "VERSION", "STATUS", "KINDS", "REASON"];
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return 0;
    }

    private static int Pack(Arguments parsed, TextWriter stdout, TextWriter stderr)
    {
        var folder = Path.GetFullPath(parsed.Positional);
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"No such folder: {folder}");
            return 2;
        }

        var (manifest, error) = PluginInspector.Inspect(folder);
        if (manifest is null)
        {
            stderr.WriteLine(error);
            return 1;
        }

        var errors = PackageFormat.Validate(manifest);
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in errors)
            {
                stderr.WriteLine($"{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }

        var output = Path.GetFullPath(parsed.Option("o") ?? Directory.GetCurrentDirectory());
        Directory.CreateDirectory(output);
        var path = Path.Combine(output, PackageFormat.FileName(manifest));
        using (var file = File.Create(path))
        {
            PackageFormat.Write(file, manifest, folder);
        }

        stdout.WriteLine($"Packed {manifest.Id} {manifest.Version} (ScoreHub.Sdk {manifest.SdkVersion}) to {path}");
        return 0;
    }

    private static async Task WriteProblemAsync(TextWriter stderr, int status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            await stderr.WriteLineAsync($"Refused ({status} {Text("title")}): {Text("detail")}");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    await stderr.WriteLineAsync($"  {field.Name}: {string.Join(" ", field.Value.EnumerateArray().Select(m => m.GetString()))}");
                }
            }
        }
        catch (JsonException)
        {
            await stderr.WriteLineAsync(status switch
            {
                401 => "Refused (401): the admin key was not accepted.",
                403 => "Refused (403): this key may not install or list plugins; use the admin key.",
                _ => $"Refused ({status}).",
            });
        }
    }

    /// <summary>The parsed command line: <c>plugin &lt;command&gt; [positional] [--name value]...</c>.</summary>
    private sealed class Arguments
    {
        private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

        public string Command { get; private set; } = "";

        public string Positional { get; private set; } = "";

        public string? Option(string name) => _options.GetValueOrDefault(name);

        public static bool TryParse(string[] args, out Arguments parsed, out string error)
        {
            parsed = new Arguments();
            error = "";
            if (args.Length < 2 || args[0] != "plugin" || args[1] is not ("install" or "list" or "pack"))
            {
                error = args.Length == 0 ? "No command given." : $"Unknown command: {string.Join(' ', args.Take(2))}";
                return false;
            }

            parsed.Command = args[1];
            string[] known = parsed.Command == "pack" ? ["o"] : ["url", "admin-key"];
            for (var i = 2; i < args.Length; i++)
            {
                var arg = args[i];
                if (arg.StartsWith('-'))
                {
                    var name = arg.TrimStart('-');
                    if (name == "output")
                    {
                        name = "o";
                    }

                    if (!known.Contains(name) || i + 1 >= args.Length)
                    {
                        error = known.Contains(name) ? $"{arg} needs a value." : $"Unknown option {arg} for '{parsed.Command}'.";
                        return false;
                    }

                    parsed._options[name] = args[++i];
                }
                else if (parsed.Positional.Length == 0 && parsed.Command != "list")
                {
                    parsed.Positional = arg;
                }
                else
                {
                    // Not echoed: a mistyped command line may put the admin key here.
                    error = $"Unexpected argument at position {i + 1}.";
                    return false;
                }
            }

            if (parsed.Command != "list" && parsed.Positional.Length == 0)
            {
                error = parsed.Command == "install" ? "Which package? scorehub plugin install <file.shplugin>" : "Which folder? scorehub plugin pack <folder>";
                return false;
            }

            return true;
        }
    }
}
