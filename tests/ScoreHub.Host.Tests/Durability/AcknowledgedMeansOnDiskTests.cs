using System.Net;
using LiteDB;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>
/// What a SIGKILL leaves behind is what the process had handed to the operating system. LiteDB commits by queueing
/// the log pages for a writer thread of its own, so the host must not acknowledge before that thread has written
/// them: a copy of the database files taken the moment a write is acknowledged must already hold it.
/// </summary>
public sealed class AcknowledgedMeansOnDiskTests : IDisposable
{
    private const int Rounds = 6;
    private const int BatchSize = 500;

    private readonly ScoreHubApp _app = new();
    private readonly string _copies = Path.Combine(Path.GetTempPath(), "scorehub-tests", "copies-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _app.Dispose();
        if (Directory.Exists(_copies))
        {
            Directory.Delete(_copies, recursive: true);
        }
    }

    [Fact]
    public async Task A_copy_of_the_files_taken_at_the_acknowledgement_holds_every_acknowledged_event()
    {
        var ws = await _app.CreateWorkspaceAsync();
        var client = _app.Client(ws.IngestKey);
        var padding = new string('x', 1_500);

        for (var round = 0; round < Rounds; round++)
        {
            var batch = Enumerable.Range(0, BatchSize)
                .Select(i => Api.Event($"r{round}-{i}", new { email = $"lead{round}-{i}@example.com" }, properties: new { padding }))
                .ToArray();
            var response = await client.PostEventsAsync(batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var copy = CopyDatabaseFiles(round);
            Assert.Equal((round + 1) * BatchSize, EventsIn(copy, ws.Id));
        }
    }

    /// <summary>The data file and its log, as they are on disk right now (what a restart after SIGKILL would open).</summary>
    private string CopyDatabaseFiles(int round)
    {
        var target = Path.Combine(_copies, round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(target);
        foreach (var name in new[] { "scorehub.db", "scorehub-log.db" })
        {
            var source = Path.Combine(_app.DataDirectory, name);
            if (File.Exists(source))
            {
                using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var to = File.Create(Path.Combine(target, name));
                from.CopyTo(to);
            }
        }

        return Path.Combine(target, "scorehub.db");
    }

    private static long EventsIn(string databaseFile, string workspaceId)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = databaseFile, Connection = ConnectionType.Direct });
        return db.GetCollection("event_blocks").Find(Query.EQ("ws", workspaceId)).Sum(b => (long)b["n"].AsInt32);
    }
}
