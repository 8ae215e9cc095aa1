using LiteDB;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>
/// ScoreHub opens LiteDB over its own file streams so that a commit costs one flush to the device, not one per log
/// page (ADR 0012). These drive that file layer directly: concurrent explicit and implicit transactions, automatic
/// checkpoints in the middle of them, and many close-and-reopen cycles, each checked document by document.
/// </summary>
public sealed class LiteFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scorehub-tests", "litefile-" + Guid.NewGuid().ToString("N"));

    private string DataPath => Path.Combine(_directory, "test.db");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Reopened_thirty_times_under_concurrent_writers_and_checkpoints_it_holds_every_committed_document()
    {
        const int Cycles = 30;
        const int Transactions = 10;
        const int PerTransaction = 40;
        const int Implicit = 30;
        var padding = new string('p', 2_000);

        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            using (var file = new LiteFile(DataPath))
            {
                // Small automatic checkpoints in every other cycle, so that some run between the writers' commits.
                file.Lite.Pragma("CHECKPOINT", cycle % 2 == 0 ? 20 : 1000);
                var c = cycle;
                var explicitWriter = Task.Run(() =>
                {
                    var events = file.Lite.GetCollection("events");
                    for (var t = 0; t < Transactions; t++)
                    {
                        file.Lite.BeginTrans();
                        for (var i = 0; i < PerTransaction; i++)
                        {
                            events.Insert(new BsonDocument { ["_id"] = $"{c}-{t}-{i}", ["padding"] = padding });
                        }

                        file.Commit();
                        file.WaitUntilDurable();
                    }
                });
                var implicitWriter = Task.Run(() =>
                {
                    var keys = file.Lite.GetCollection("keys");
                    for (var i = 0; i < Implicit; i++)
                    {
                        keys.Insert(new BsonDocument { ["_id"] = $"{c}-{i}", ["padding"] = padding });
                    }
                });
                await Task.WhenAll(explicitWriter, implicitWriter);
            }

            using var reopened = new LiteFile(DataPath);
            Assert.Equal((cycle + 1) * Transactions * PerTransaction, reopened.Lite.GetCollection("events").Count());
            Assert.Equal((cycle + 1) * Implicit, reopened.Lite.GetCollection("keys").Count());
            Assert.Equal(padding, reopened.Lite.GetCollection("events").FindById($"{cycle}-{Transactions - 1}-{PerTransaction - 1}")["padding"].AsString);
        }
    }

    [Fact]
    public async Task Opening_a_file_this_process_still_has_open_waits_until_it_is_closed()
    {
        var first = new LiteFile(DataPath);
        first.Lite.BeginTrans();
        first.Lite.GetCollection("events").Insert(new BsonDocument { ["_id"] = "e1" });
        first.Commit();
        first.WaitUntilDurable();

        var second = Task.Run(() => new LiteFile(DataPath));
        await Task.Delay(300);
        Assert.False(second.IsCompleted); // still waiting: the first has yet to checkpoint and empty its log as it closes

        first.Dispose();
        using var reopened = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, reopened.Lite.GetCollection("events").Count());
        Assert.Equal(0, new FileInfo(Path.Combine(_directory, "test-log.db")).Length);
    }

    [Fact]
    public void A_commit_left_in_the_log_by_a_process_that_never_closed_is_restored_on_open()
    {
        var file = new LiteFile(DataPath);
        file.Lite.Pragma("CHECKPOINT", 0); // nothing reaches the data file: the log alone must carry the commit
        file.Lite.BeginTrans();
        file.Lite.GetCollection("events").Insert(new BsonDocument { ["_id"] = "e1", ["type"] = "email.opened" });
        file.Commit();
        file.WaitUntilDurable();

        // What a killed process leaves: the files as they are now, never closed.
        var copy = Path.Combine(_directory, "copy");
        Directory.CreateDirectory(copy);
        foreach (var name in new[] { "test.db", "test-log.db" })
        {
            using var from = new FileStream(Path.Combine(_directory, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var to = File.Create(Path.Combine(copy, name));
            from.CopyTo(to);
        }

        Assert.True(new FileInfo(Path.Combine(copy, "test-log.db")).Length > 0);
        using (var restored = new LiteFile(Path.Combine(copy, "test.db")))
        {
            Assert.Equal("email.opened", restored.Lite.GetCollection("events").FindById("e1")["type"].AsString);
        }

        file.Dispose();
    }
}
