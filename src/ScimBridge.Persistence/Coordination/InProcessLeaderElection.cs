using System.Collections.Concurrent;
using ScimBridge.Core.Coordination;

namespace ScimBridge.Persistence.Coordination;

/// <summary>
/// Leader election for the SQLite deployment: one process is the only replica (the database file is not shared), so
/// a semaphore per name is the whole election. Leadership is never lost, only handed back.
/// </summary>
internal sealed class InProcessLeaderElection : ILeaderElection
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public Task<ILeadership?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        cancellationToken.ThrowIfCancellationRequested();

        // Never disposed: one small semaphore per singleton name for the life of the process.
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<ILeadership?>(gate.Wait(0, CancellationToken.None) ? new Leadership(name, gate) : null);
    }

    private sealed class Leadership(string name, SemaphoreSlim gate) : ILeadership
    {
        private int _released;

        public string Name => name;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            // Twice would release someone else's leadership.
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
