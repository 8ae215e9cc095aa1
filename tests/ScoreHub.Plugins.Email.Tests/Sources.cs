using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Email.Tests;

/// <summary>Builds the requests and contexts the host would hand a source.</summary>
internal static class Sources
{
    /// <summary>The host test fixture's clock: 2026-03-02 09:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static SourceContext Context(string settingsJson, TimeProvider? clock = null, string workspace = "ws_1") => new()
    {
        WorkspaceId = workspace,
        Settings = PluginSettings.Parse(settingsJson),
        Clock = clock ?? new FakeTimeProvider(Now),
        Logger = NullLogger.Instance,
    };

    public static SourceRequest Post(
        string body, IDictionary<string, string>? headers = null, IDictionary<string, string>? query = null,
        string contentType = "application/json") => new()
        {
            Method = "POST",
            Body = Encoding.UTF8.GetBytes(body),
            ContentType = contentType,
            Headers = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
            Query = new Dictionary<string, string>(query ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        };

    public static SourceRequest Get(IDictionary<string, string> query) => new()
    {
        Method = "GET",
        Query = new Dictionary<string, string>(query, StringComparer.Ordinal),
    };

    public static FieldError SingleError(ValidationReport report) => Assert.Single(report.Errors);
}
