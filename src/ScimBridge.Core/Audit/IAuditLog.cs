namespace ScimBridge.Core.Audit;

/// <summary>
/// Appends events to the audit chain. Appends from every caller (and, on PostgreSQL, every replica) are group-committed
/// and sealed in commit order into one linear chain.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends and returns once the events are committed (use for changes: nothing acknowledged is lost).</summary>
    Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Queues an event for the next group commit without waiting (use for reads: no database round trip on the request
    /// path). A crash can lose what is queued but not yet committed, at most one batch interval's worth.
    /// </summary>
    void Record(AuditEvent auditEvent);
}

/// <summary>Reads and maintains the stored chain (queries, export, verification, retention).</summary>
public interface IAuditStore
{
    /// <summary>One page, newest first, of the events matching <paramref name="query"/>.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Events in chain order from <paramref name="afterSequence"/> + 1 (filters apply; for export).</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery filter, long afterSequence, CancellationToken cancellationToken);

    Task<AuditAnchor> GetAnchorAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the oldest events that occurred before <paramref name="before"/> (a prefix of the chain, so the rest
    /// stays verifiable from the new base) and returns how many and the new base sequence.
    /// </summary>
    Task<(int Deleted, long BaseSequence)> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
