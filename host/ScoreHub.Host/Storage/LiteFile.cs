using System.Reflection;
using LiteDB;
using ScoreHub.Host.Core.Leads;

namespace ScoreHub.Host.Storage;

/// <summary>
/// A LiteDB database over file streams ScoreHub opens itself (<c>name.db</c> and LiteDB's <c>name-log.db</c>), so
/// that a commit is made durable with one <c>fsync</c> instead of LiteDB's one per 8 KB log page (ADR 0012).
/// Use <see cref="Commit"/> then <see cref="WaitUntilDurable"/> for a write that is acknowledged; LiteDB's own
/// implicit transactions (a lone <c>Insert</c>) keep its flush per page.
/// </summary>
internal sealed class LiteFile : IDisposable
{
    // How long opening a file waits for another instance of this process to finish closing it.
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(30);

    // The files open in this process, each with the task that completes once its instance has closed it.
    private static readonly Dictionary<string, Task> OpenFiles = new(StringComparer.Ordinal);
    private static readonly Lock OpenFilesLock = new();

    private readonly string _path;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PageFile _data;
    private readonly PageFile _log;
    private readonly ManualResetEventSlim _logWritten;

    public LiteFile(string path)
    {
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        Claim(_path, _closed.Task);
        PageFile? data = null, log = null;
        try
        {
            _data = data = new PageFile(_path, deferrable: false);
            _log = log = new PageFile(Path.ChangeExtension(_path, null) + "-log" + Path.GetExtension(_path), deferrable: true);
            Lite = new LiteDatabase(_data, logStream: _log);
            _logWritten = LogWrittenSignal(Lite);
        }
        catch
        {
            Lite?.Dispose();
            log?.Dispose();
            data?.Dispose();
            Release();
            throw;
        }
    }

    public LiteDatabase Lite { get; }

    /// <summary>
    /// Commits the calling thread's transaction: its log pages reach the operating system (which keeps them through
    /// a crash of the process) but are not yet flushed to the device; <see cref="WaitUntilDurable"/> does that.
    /// </summary>
    public void Commit()
    {
        using (_log.DeferFlushes())
        {
            Lite.Commit();
        }
    }

    /// <summary>
    /// Blocks until every page committed so far is in the log file, then flushes the log to the device, once for
    /// however many commits came before. LiteDB 5's <c>Commit</c> only queues the pages for its log writer, which
    /// usually runs inline in the commit but need not.
    /// </summary>
    public void WaitUntilDurable()
    {
        _logWritten.Wait();
        _log.FlushToDevice();
    }

    public void Dispose()
    {
        try
        {
            Lite.Dispose(); // checkpoints: the log's pages go to the data file, which is flushed, then the log is emptied
        }
        finally
        {
            _log.Dispose();
            _data.Dispose();
            Release();
        }
    }

    /// <summary>
    /// Two instances on one file corrupt it (LiteDB checkpoints and empties the log as it closes). A host restarted
    /// in the same process can be built while the previous one is still closing (seen with in-process test hosts:
    /// "ReadFull must read PAGE_SIZE bytes" when the closing instance emptied the log under the opening one), so
    /// opening waits for that close.
    /// </summary>
    private static void Claim(string path, Task closed)
    {
        while (true)
        {
            Task? previous;
            lock (OpenFilesLock)
            {
                if (!OpenFiles.TryGetValue(path, out previous) || previous.IsCompleted)
                {
                    OpenFiles[path] = closed;
                    return;
                }
            }

            if (!previous.Wait(CloseWait))
            {
                throw new IOException($"The database file {path} is already open in this process and was not closed within {CloseWait.TotalSeconds:N0} s.");
            }
        }
    }

    private void Release()
    {
        lock (OpenFilesLock)
        {
            if (OpenFiles.TryGetValue(_path, out var current) && current == _closed.Task)
            {
                OpenFiles.Remove(_path);
            }
        }

        _closed.TrySetResult();
    }

    /// <summary>
    /// LiteDB 5.0.20's log writer queue signals "every queued page is written" with a private event; nothing public
    /// exposes it. Reached once by reflection and checked at start, so an upgrade that changes it fails loudly.
    /// </summary>
    private static ManualResetEventSlim LogWrittenSignal(LiteDatabase lite)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(lite);
        var disk = engine?.GetType().GetField("_disk", Private)?.GetValue(engine);
        var lazyQueue = disk?.GetType().GetProperty("Queue")?.GetValue(disk);
        var queue = lazyQueue?.GetType().GetProperty("Value")?.GetValue(lazyQueue);
        return queue?.GetType().GetField("_queueIsEmpty", Private)?.GetValue(queue) as ManualResetEventSlim
            ?? throw new InvalidOperationException(
                "This LiteDB version does not expose its log writer queue as 5.0.20 does; see docs/adr/0012-durable-acknowledgement.md.");
    }

    /// <summary>
    /// One file as LiteDB sees it. LiteDB wraps a caller's stream in its own lock-on-this-stream wrapper for every
    /// reader and its writer, so all access is serialised on this object; <see cref="SetLength"/> and the flushes
    /// take the same lock. LiteDB's "flush to disk" of a non-<see cref="FileStream"/> is <see cref="Flush"/>: it
    /// flushes to the device unless the calling thread is inside <see cref="DeferFlushes"/> of a deferrable file.
    /// </summary>
    private sealed class PageFile(string path, bool deferrable) : Stream
    {
        private readonly FileStream _file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 8192, FileOptions.RandomAccess);
        private readonly ThreadLocal<bool> _deferring = new();

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;

        public override long Length
        {
            get
            {
                lock (this)
                {
                    return _file.Length;
                }
            }
        }

        public override long Position
        {
            get => _file.Position;
            set => _file.Position = value;
        }

        public IDisposable DeferFlushes()
        {
            if (!deferrable)
            {
                throw new InvalidOperationException("Only the log's flushes may be deferred.");
            }

            _deferring.Value = true;
            return new Deferral(this);
        }

        public override void Flush()
        {
            lock (this)
            {
                _file.Flush(flushToDisk: !_deferring.Value);
            }
        }

        public void FlushToDevice()
        {
            lock (this)
            {
                _file.Flush(flushToDisk: true);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

        /// <summary>LiteDB empties the log after a checkpoint; flushed at once, so that stale pages cannot come back.</summary>
        public override void SetLength(long value)
        {
            lock (this)
            {
                _file.SetLength(value);
                _file.Flush(flushToDisk: true);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                _deferring.Dispose();
            }

            base.Dispose(disposing);
        }

        private sealed class Deferral(PageFile file) : IDisposable
        {
            public void Dispose() => file._deferring.Value = false;
        }
    }
}
