namespace ScimBridge.Core.Coordination;

/// <summary>
/// Durable background work shared by all replicas: each claimed item is leased to one worker at a time, so exactly
/// one replica does it while the lease holds. Delivery is at least once (a worker that dies, or outlives its lease,
/// leaves its item to be claimed again), so handlers must be idempotent. See docs/decisions/0006-coordination.md.
/// </summary>
/// <remarks>
/// Work that must be enqueued atomically with a store change (an outbox) does not go through this port: the store
/// that owns the transaction inserts the row itself, in that transaction (the Persistence layer exposes the insert
/// for that); this port enqueues on its own transaction.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "It is a queue (of durable work items), not a System.Collections.Queue look-alike; the name says what it holds.")]
public interface IWorkQueue
{
    /// <summary>
    /// Adds an item, claimable from <paramref name="notBefore"/> (now when null). Returns its id. The kind says what
    /// handles it (claimers ask for the kinds they handle); the key says what it is about (a binding id, say), for
    /// logs and for a handler that merges duplicates; the payload is a JSON document with whatever the handler needs.
    /// </summary>
    Task<long> EnqueueAsync(string kind, string key, string payloadJson, DateTimeOffset? notBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> due items of the given kinds, oldest first, to this queue's owner for
    /// <paramref name="leaseDuration"/>. Items leased to another owner are skipped, not waited for; an item whose
    /// lease has expired is due again. Returns an empty list when nothing is due.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> ClaimAsync(IReadOnlyCollection<string> kinds, int max, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Pushes the lease of a long-running item out to now + <paramref name="leaseDuration"/>; null when the lease was lost.</summary>
    Task<WorkItem?> RenewAsync(WorkItem item, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Marks the item done. False when the lease was lost (the item was reclaimed): the work may run twice.</summary>
    Task<bool> CompleteAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="errorMessage"/> and releases the item for another attempt at <paramref name="retryAt"/>, or,
    /// when <paramref name="retryAt"/> is null, gives up on it (state "failed", never claimed again). False when the
    /// lease was lost.
    /// </summary>
    Task<bool> FailAsync(WorkItem item, string errorMessage, DateTimeOffset? retryAt, CancellationToken cancellationToken);
}
