namespace ScimBridge.Persistence.Coordination;

/// <summary>The statements of the work queue that differ between PostgreSQL and SQLite.</summary>
internal sealed class WorkQueueSql
{
    private WorkQueueSql(string enqueue, string claim)
    {
        Enqueue = enqueue;
        Claim = claim;
    }

    /// <summary>Inserts one pending item; parameters kind, key, payload, notBefore, now. Returns the id.</summary>
    public string Enqueue { get; }

    /// <summary>Leases due items; parameters kinds, max, owner, now, expires. Returns the claimed rows.</summary>
    public string Claim { get; }

    public static WorkQueueSql Postgres { get; } = new(
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated)
        VALUES (@kind, @key, CAST(@payload AS jsonb), 'pending', 0, @notBefore, @now, @now)
        RETURNING id
        """,
        // The candidates are locked in a MATERIALIZED CTE rather than `WHERE id IN (SELECT … LIMIT)`: the planner
        // may run an IN sub-select more than once (a nested-loop rescan), each run skipping and locking other rows,
        // and so claim more than @max. SKIP LOCKED passes over rows another replica's claim is locking instead of
        // queueing behind it; under READ COMMITTED a row that replica claimed and committed meanwhile is re-checked
        // against the WHERE clause when locked, and dropped because its lease is now current.
        """
        WITH due AS MATERIALIZED (
            SELECT id FROM work_items
            WHERE kind = ANY(@kinds) AND state = 'pending' AND not_before <= @now
              AND (lease_expires IS NULL OR lease_expires < @now)
            ORDER BY id
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE work_items w
        SET lease_owner = @owner, lease_expires = @expires, attempts = w.attempts + 1, updated = @now
        FROM due
        WHERE w.id = due.id
        RETURNING w.id AS Id, w.kind AS Kind, w.key AS Key, w.payload::text AS Payload, w.attempts AS Attempts,
            w.not_before AS NotBefore, w.lease_owner AS LeaseOwner, w.lease_expires AS LeaseExpires, w.last_error AS LastError
        """);

    public static WorkQueueSql Sqlite { get; } = new(
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated)
        VALUES (@kind, @key, @payload, 'pending', 0, @notBefore, @now, @now)
        RETURNING id
        """,
        // One writer at a time (SqliteDatabase's gate), so select-then-update cannot interleave with another claim.
        """
        UPDATE work_items
        SET lease_owner = @owner, lease_expires = @expires, attempts = attempts + 1, updated = @now
        WHERE id IN (
            SELECT id FROM work_items
            WHERE kind IN @kinds AND state = 'pending' AND not_before <= @now
              AND (lease_expires IS NULL OR lease_expires < @now)
            ORDER BY id
            LIMIT @max)
        RETURNING id AS Id, kind AS Kind, key AS Key, payload AS Payload, attempts AS Attempts, not_before AS NotBefore,
            lease_owner AS LeaseOwner, lease_expires AS LeaseExpires, last_error AS LastError
        """);
}
