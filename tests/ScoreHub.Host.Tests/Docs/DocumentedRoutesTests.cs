using System.Net;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Docs;

/// <summary>
/// docs/api.md documents every route of the host's OpenAPI document, and no route the host does not have. A route is
/// documented by a code span <c>`METHOD /path`</c> opening a <c>###</c> heading or a table row. Routes the OpenAPI
/// document leaves out (the hub, the snippet, health) are documented in the section "Routes outside the OpenAPI
/// document", and only there.
/// </summary>
public sealed class DocumentedRoutesTests : IDisposable
{
    private const string Page = "docs/api.md";
    private const string OutsideHeading = "## Routes outside the OpenAPI document";
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private readonly ScoreHubApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_api_page_documents_exactly_the_routes_of_the_OpenAPI_document()
    {
        var served = await OpenApiRoutesAsync();
        var (inside, outside) = DocumentedRoutes();

        var missing = served.Except(inside).Except(outside).Order(StringComparer.Ordinal).ToList();
        var extra = inside.Except(served).Order(StringComparer.Ordinal).ToList();
        var misplaced = outside.Intersect(served).Order(StringComparer.Ordinal).ToList();

        Assert.True(served.Count > 20, $"The OpenAPI document lists only {served.Count} routes; is it still /openapi/v1.json?");
        Assert.True(missing.Count == 0 && extra.Count == 0 && misplaced.Count == 0, string.Join('\n',
            $"{Page} does not match GET /openapi/v1.json:",
            $"in the OpenAPI document, not documented: {Names(missing)}",
            $"documented, not in the OpenAPI document (gone, renamed, or belongs under '{OutsideHeading}'): {Names(extra)}",
            $"under '{OutsideHeading}' but in the OpenAPI document (document it with its feature): {Names(misplaced)}"));
    }

    [Fact]
    public async Task Every_route_documented_outside_the_OpenAPI_document_exists_on_the_host()
    {
        var (_, outside) = DocumentedRoutes();
        Assert.NotEmpty(outside);

        var client = _app.Client();
        var absent = new List<string>();
        foreach (var route in outside)
        {
            var (method, path) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var concrete = path.Replace("{**", "{", StringComparison.Ordinal).Replace("{pluginId}", "scorehub.web", StringComparison.Ordinal);
            concrete = System.Text.RegularExpressions.Regex.Replace(concrete, "{[^}]+}", "x");
            using var request = new HttpRequestMessage(new HttpMethod(method), concrete);
            using var response = await client.SendAsync(request);

            // Without a key a guarded route answers 401; only a route that is not there answers 404 or 405.
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                absent.Add($"{route} ({(int)response.StatusCode})");
            }
        }

        Assert.True(absent.Count == 0, $"{Page} documents routes the host does not have: {string.Join(", ", absent)}");
    }

    [Fact]
    public void A_route_is_read_from_a_heading_or_a_table_row_without_its_query_and_never_from_prose()
    {
        var routes = Markdown.DocumentedRoutes("""
            ### `GET /api/v1/contacts?email=&limit=` (secret)
            | `GET/DELETE /api/v1/triggers/{id}` | secret |
            Its hits go to `POST /api/v1/sources/scorehub.web/collect?key=<ingest key>`.
            """);

        Assert.Equal(["DELETE /api/v1/triggers/{id}", "GET /api/v1/contacts", "GET /api/v1/triggers/{id}"], routes);
    }

    private async Task<HashSet<string>> OpenApiRoutesAsync()
    {
        var document = await _app.Client().GetJsonAsync("/openapi/v1.json");
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => HttpMethods.Contains(o.Name) && o.Value.ValueKind == JsonValueKind.Object))
            {
                routes.Add($"{operation.Name.ToUpperInvariant()} {Markdown.Normalize(path.Name)}");
            }
        }

        return routes;
    }

    private static (IReadOnlySet<string> Inside, IReadOnlySet<string> Outside) DocumentedRoutes()
    {
        var text = Markdown.Read(Page).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(OutsideHeading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{Page} has no section '{OutsideHeading}'.");
        var end = text.IndexOf("\n## ", start + OutsideHeading.Length, StringComparison.Ordinal);
        end = end < 0 ? text.Length : end;

        return (Markdown.DocumentedRoutes(text[..start] + text[end..]), Markdown.DocumentedRoutes(text[start..end]));
    }

    private static string Names(List<string> routes) => routes.Count == 0 ? "none" : string.Join(", ", routes);
}
