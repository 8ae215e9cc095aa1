using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>The outcome of one call into a plugin.</summary>
internal readonly record struct PluginCall<T>(bool Succeeded, T? Value, string? Error)
{
    public static PluginCall<T> Ok(T value) => new(true, value, null);

    public static PluginCall<T> Fail(string error) => new(false, default, error);
}

/// <summary>
/// The only way the host calls a plugin. Applies a timeout (and walks away from a plugin that ignores its token),
/// caller cancellation, exception capture and a circuit breaker per (workspace, plugin): after
/// <see cref="ScoreHubOptions.CircuitBreakerThreshold"/> consecutive failures the circuit opens for
/// <see cref="ScoreHubOptions.CircuitBreakDuration"/>, then one trial call decides whether it closes.
/// A call that returns nonsense (null, or what <c>malformed</c> finds wrong) is a failure like an exception.
/// </summary>
internal sealed class PluginInvoker(IOptions<ScoreHubOptions> options, TimeProvider clock, ILogger<PluginInvoker> logger)
{
    private readonly ConcurrentDictionary<(string Workspace, string Plugin), Breaker> _breakers = new();

    /// <summary>Calls an asynchronous plugin method under timeout, cancellation and the breaker.</summary>
    public async Task<PluginCall<T>> InvokeAsync<T>(
        string workspaceId, string pluginId, Func<CancellationToken, ValueTask<T>> call, CancellationToken ct,
        Func<T, string?>? malformed = null)
    {
        var breaker = _breakers.GetOrAdd((workspaceId, pluginId), _ => new Breaker());
        if (!breaker.TryEnter(clock.GetUtcNow(), out var openReason))
        {
            return PluginCall<T>.Fail(openReason);
        }

        var timeout = options.Value.PluginCallTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            // WaitAsync returns even if the plugin never observes its token; the call is then abandoned.
            // The timeout is wall-clock on purpose: it protects the host's threads, whatever clock scores run on.
            var value = await Task.Run(() => call(cts.Token).AsTask(), cts.Token).WaitAsync(timeout, ct);
            return Checked(breaker, workspaceId, pluginId, value, malformed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            breaker.Release();
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return Failed<T>(breaker, workspaceId, pluginId, $"timed out after {timeout.TotalSeconds:0.###} s", null);
        }
        catch (Exception ex)
        {
            return Failed<T>(breaker, workspaceId, pluginId, $"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Calls a synchronous, pure plugin method (validation, evaluation) with exception capture and the breaker.</summary>
    public PluginCall<T> Invoke<T>(string workspaceId, string pluginId, Func<T> call, Func<T, string?>? malformed = null)
    {
        var breaker = _breakers.GetOrAdd((workspaceId, pluginId), _ => new Breaker());
        if (!breaker.TryEnter(clock.GetUtcNow(), out var openReason))
        {
            return PluginCall<T>.Fail(openReason);
        }

        try
        {
            return Checked(breaker, workspaceId, pluginId, call(), malformed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Failed<T>(breaker, workspaceId, pluginId, $"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Forgets a (workspace, plugin)'s failures: activation with new settings is a fresh start.</summary>
    public void Reset(string workspaceId, string pluginId) => _breakers.TryRemove((workspaceId, pluginId), out _);

    /// <summary>The breaker state of one (workspace, plugin), for listings.</summary>
    public (bool Open, int Failures, string? LastError) State(string workspaceId, string pluginId) =>
        _breakers.TryGetValue((workspaceId, pluginId), out var b) ? b.Snapshot(clock.GetUtcNow()) : (false, 0, null);

    private PluginCall<T> Checked<T>(Breaker breaker, string workspaceId, string pluginId, T value, Func<T, string?>? malformed)
    {
        // Every SDK method returns an object; null is a plugin bug the host must not trip over later.
        if (value is null)
        {
            return Failed<T>(breaker, workspaceId, pluginId, "returned no response", null);
        }

        if (malformed?.Invoke(value) is { } problem)
        {
            return Failed<T>(breaker, workspaceId, pluginId, "returned a malformed response: " + problem, null);
        }

        breaker.Success();
        return PluginCall<T>.Ok(value);
    }

    private PluginCall<T> Failed<T>(Breaker breaker, string workspaceId, string pluginId, string error, Exception? ex)
    {
        var opened = breaker.Failure(clock.GetUtcNow(), error, options.Value.CircuitBreakerThreshold, options.Value.CircuitBreakDuration);
        logger.LogWarning(ex, "Plugin {Plugin} failed in workspace {Workspace}: {Error}{Opened}",
            pluginId, workspaceId, error, opened ? " (circuit opened)" : "");
        return PluginCall<T>.Fail(error);
    }

    private sealed class Breaker
    {
        private readonly Lock _lock = new();
        private int _failures;
        private DateTimeOffset? _openUntil;
        private bool _trialInFlight;
        private string? _lastError;

        public bool TryEnter(DateTimeOffset now, out string reason)
        {
            lock (_lock)
            {
                reason = "";
                if (_openUntil is null)
                {
                    return true;
                }

                if (now >= _openUntil && !_trialInFlight)
                {
                    _trialInFlight = true; // half-open: one trial call
                    return true;
                }

                reason = $"circuit open after repeated failures (last: {_lastError})";
                return false;
            }
        }

        public void Success()
        {
            lock (_lock)
            {
                _failures = 0;
                _openUntil = null;
                _trialInFlight = false;
            }
        }

        public void Release()
        {
            lock (_lock)
            {
                _trialInFlight = false;
            }
        }

        public bool Failure(DateTimeOffset now, string error, int threshold, TimeSpan breakFor)
        {
            lock (_lock)
            {
                _lastError = error;
                _failures++;
                var wasTrial = _trialInFlight;
                _trialInFlight = false;
                if (wasTrial || _failures >= threshold)
                {
                    _openUntil = now + breakFor;
                    return true;
                }

                return false;
            }
        }

        public (bool, int, string?) Snapshot(DateTimeOffset now)
        {
            lock (_lock)
            {
                return (_openUntil is not null && now < _openUntil, _failures, _lastError);
            }
        }
    }
}
