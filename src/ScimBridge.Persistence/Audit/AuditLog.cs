using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Audit;

namespace ScimBridge.Persistence.Audit;

/// <summary>
/// The group-committing audit writer: callers queue events on a channel and one loop seals whatever has accumulated
/// (up to <see cref="MaxBatch"/>) in one transaction. Under load many requests share a commit, so a SCIM GET costs a
/// channel write, not a database round trip; <see cref="AppendAsync"/> waits for its commit, <see cref="Record"/> does
/// not. The loop starts on first use (so the CLI, which runs no hosted services, appends too) and drains on dispose.
/// </summary>
internal sealed partial class AuditLog(AuditStore store, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog, IAsyncDisposable
{
    internal const int MaxBatch = 512;

    /// <summary>Queued events beyond this make <see cref="Record"/> drop (counted and logged) rather than grow memory.</summary>
    internal const int Capacity = 100_000;

    private const int Attempts = 3;

    /// <summary>How long a batch of read events waits for more before committing (what a crash may lose of reads).</summary>
    internal static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly object _startLock = new();
    private Task? _loop;
    private long _dropped;

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        EnsureStarted();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(Stamp(events), done), cancellationToken);

        // A caller that stops waiting does not unqueue its events: they are committed with their batch anyway.
        await done.Task.WaitAsync(cancellationToken);
    }

    public void Record(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        EnsureStarted();
        if (!_queue.Writer.TryWrite(new Pending(Stamp([auditEvent]), null)))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 10_000 == 0)
            {
                LogDropped(logger, dropped);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_startLock)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }
    }

    private IReadOnlyList<AuditEvent> Stamp(IReadOnlyList<AuditEvent> events)
    {
        if (events.All(e => e.Occurred != default))
        {
            return events;
        }

        var now = clock.GetUtcNow();
        return [.. events.Select(e => e.Occurred == default ? e with { Occurred = now } : e)];
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            // Task.Run: the loop must not run inline on the first caller's request thread.
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        var events = new List<AuditEvent>();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            events.Clear();
            Drain(reader, batch, events);
            if (events.Count < MaxBatch && batch.TrueForAll(p => p.Done is null))
            {
                // Only reads so far: nobody waits for them, so linger a moment and commit more per transaction. On
                // SQLite each commit rewrites the touched index pages to the WAL; at thousands of reads per second,
                // one commit per handful of events cost more than the inserts.
                await Task.Delay(Linger, clock);
                Drain(reader, batch, events);
            }

            Exception? failure = null;
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                try
                {
                    await store.AppendBatchAsync(events, CancellationToken.None);
                    failure = null;
                    break;
                }
                catch (Exception e)
                {
                    // Any failure, not just database ones: the loop must outlive a bad batch or every later append hangs.
                    failure = e;
                    LogAppendFailed(logger, e, events.Count, attempt);
                    if (attempt < Attempts)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), clock);
                    }
                }
            }

            foreach (var pending in batch)
            {
                if (failure is null)
                {
                    pending.Done?.TrySetResult();
                }
                else
                {
                    pending.Done?.TrySetException(new InvalidOperationException("The audit trail could not be written.", failure));
                }
            }
        }
    }

    private static void Drain(ChannelReader<Pending> reader, List<Pending> batch, List<AuditEvent> events)
    {
        while (events.Count < MaxBatch && reader.TryRead(out var pending))
        {
            batch.Add(pending);
            events.AddRange(pending.Events);
        }
    }

    private readonly record struct Pending(IReadOnlyList<AuditEvent> Events, TaskCompletionSource? Done);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Audit queue full: {Dropped} read events dropped so far")]
    private static partial void LogDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Writing {Count} audit events failed (attempt {Attempt})")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, int count, int attempt);
}
