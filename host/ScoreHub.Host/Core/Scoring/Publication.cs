namespace ScoreHub.Host.Core.Scoring;

/// <summary>Progress of re-evaluating every record for one published version.</summary>
internal sealed class Publication(int version, DateTimeOffset startedAt)
{
    private int _evaluated;
    private int _total;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Version { get; } = version;

    /// <summary>How many records are re-evaluated; 0 until they are listed, once the version is live.</summary>
    public int Total => Volatile.Read(ref _total);
    public int Evaluated => Volatile.Read(ref _evaluated);
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset? FinishedAt { get; private set; }
    public string Status => _done.Task.IsCompleted ? "done" : "running";
    public Task Completion => _done.Task;

    public void Begin(int total) => Volatile.Write(ref _total, total);

    public void Advance(int count) => Interlocked.Add(ref _evaluated, count);

    public void Finish(DateTimeOffset at)
    {
        FinishedAt = at;
        _done.TrySetResult();
    }
}
