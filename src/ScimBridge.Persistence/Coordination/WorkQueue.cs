using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Resources;

namespace ScimBridge.Persistence.Coordination;

/// <summary>
/// The work_items queue over either database: the logic once, the SQL per dialect (<see cref="WorkQueueSql"/>).
/// Times are the injected clock's, written as fixed-width UTC text like the rest of the schema, so every replica
/// compares leases against its own clock; clock skew between replicas shortens or stretches leases by that skew.
/// </summary>
internal partial class WorkQueue : IWorkQueue, IWorkQueueInspector
{
    private readonly IStoreDatabase _database;
    private readonly WorkQueueSql _sql;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    protected WorkQueue(IStoreDatabase database, WorkQueueSql sql, TimeProvider clock, ILogger logger, string? owner)
    {
        _database = database;
        _sql = sql;
        _clock = clock;
        _logger = logger;

        // Unique per queue instance, not per machine: a restarted process must not pass for its predecessor, whose
        // leases it would otherwise own. The machine (pod) name is there for people reading the table.
        Owner = owner ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>The lease_owner this instance writes on the items it claims.</summary>
    public string Owner { get; }

    public Task<long> EnqueueAsync(string kind, string key, string payloadJson, DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            (connection, transaction) => EnqueueAsync(connection, transaction, kind, key, payloadJson, notBefore, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Inserts an item on the caller's transaction: the outbox hook. A store that changes a resource and must
    /// trigger work about it calls this inside its own <see cref="IStoreDatabase.WriteAsync{T}"/>, so the item
    /// exists if and only if the change committed.
    /// </summary>
    public async Task<long> EnqueueAsync(
        DbConnection connection, DbTransaction transaction, string kind, string key, string payloadJson, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(payloadJson);
        var now = _clock.GetUtcNow();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            _sql.Enqueue,
            new { kind, key, payload = payloadJson, notBefore = Format(notBefore ?? now), now = Format(now) },
            transaction,
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<WorkItem>> ClaimAsync(
        IReadOnlyCollection<string> kinds, int max, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        if (kinds.Count == 0)
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var rows = await _database.WriteAsync(
            async (connection, transaction) => (await connection.QueryAsync<Row>(new CommandDefinition(
                _sql.Claim,
                new { kinds = kinds.ToArray(), max, owner = Owner, now = Format(now), expires = Format(now + leaseDuration) },
                transaction,
                cancellationToken: cancellationToken))).AsList(),
            cancellationToken);
        if (rows.Count > 0)
        {
            LogClaimed(_logger, rows.Count, Owner);
        }

        // RETURNING gives no order (SQLite says so outright); hand items out oldest first.
        return [.. rows.OrderBy(row => row.Id).Select(row => row.ToItem())];
    }

    public async Task<WorkItem?> RenewAsync(WorkItem item, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = _clock.GetUtcNow();
        var expires = now + leaseDuration;
        var renewed = await FencedAsync(
            item,
            "lease_expires = @expires, updated = @now",
            new { expires = Format(expires), now = Format(now) },
            cancellationToken);
        return renewed ? item with { LeaseExpires = Parse(Format(expires)) } : null;
    }

    public Task<bool> CompleteAsync(WorkItem item, CancellationToken cancellationToken) =>
        FencedAsync(item, "state = 'done', lease_expires = NULL, updated = @now", new { now = Format(_clock.GetUtcNow()) }, cancellationToken);

    public Task<bool> FailAsync(WorkItem item, string errorMessage, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errorMessage);
        var now = Format(_clock.GetUtcNow());
        return retryAt is { } at
            ? FencedAsync(
                item,
                "not_before = @retryAt, lease_owner = NULL, lease_expires = NULL, last_error = @error, updated = @now",
                new { retryAt = Format(at), error = errorMessage, now },
                cancellationToken)
            : FencedAsync(item, "state = 'failed', lease_expires = NULL, last_error = @error, updated = @now", new { error = errorMessage, now }, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkItemSummary>> ListAsync(string state, string? kind, int limit, CancellationToken cancellationToken)
    {
        // Two statements rather than "@kind IS NULL OR …": PostgreSQL cannot type an untyped null parameter.
        var rows = await _database.QueryAsync(
            "SELECT id, kind, key, state, attempts, not_before, updated, last_error FROM work_items WHERE state = @p0"
                + (kind is null ? "" : " AND kind = @p2") + " ORDER BY updated DESC, id DESC LIMIT @p1",
            kind is null ? [new("@p0", state), new("@p1", limit)] : [new("@p0", state), new("@p1", limit), new("@p2", kind)],
            reader => new WorkItemSummary(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                Parse(reader.GetString(5)), Parse(reader.GetString(6)), reader.IsDBNull(7) ? null : reader.GetString(7)),
            cancellationToken);
        return rows;
    }

    // In batches, like the runs' sweep: a long first sweep must not hold SQLite's one write lock against SCIM writes.
    public async Task<int> PruneDoneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        const int Batch = 5000;
        var total = 0;
        int deleted;
        do
        {
            deleted = await _database.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM work_items WHERE id IN (SELECT id FROM work_items WHERE state = 'done' AND updated < @before LIMIT @batch)",
                    new { before = Format(before), batch = Batch },
                    transaction,
                    cancellationToken: cancellationToken)),
                cancellationToken);
            total += deleted;
        }
        while (deleted == Batch);
        return total;
    }

    // A fresh item (new id, attempts 0) rather than resetting the old one: attempts are the lease's fencing token and
    // must only grow, or a claim from before the dead letter could pass for the new one. The old row is closed as done.
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        var now = Format(_clock.GetUtcNow());
        var copied = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated) "
                    + "SELECT kind, key, payload, 'pending', 0, @now, @now, @now FROM work_items WHERE id = @id AND state = 'failed'",
                    new { id, now },
                    transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE work_items SET state = 'done', updated = @now WHERE id = @id AND state = 'failed'",
                    new { id, now },
                    transaction,
                    cancellationToken: cancellationToken));
                return inserted;
            },
            cancellationToken);
        return copied == 1;
    }

    /// <summary>
    /// Updates the item only while this claim still holds it: same owner and same attempt count (a reclaim, even by
    /// this owner, raises attempts). An expired lease nobody has reclaimed yet still counts: the work is done, and
    /// nobody else is doing it.
    /// </summary>
    private async Task<bool> FencedAsync(WorkItem item, string set, object values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { id = item.Id, owner = item.LeaseOwner, attempts = item.Attempts });
        var updated = await _database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE work_items SET {set} WHERE id = @id AND lease_owner = @owner AND attempts = @attempts AND state = 'pending'",
                parameters,
                transaction,
                cancellationToken: cancellationToken)),
            cancellationToken);
        if (updated == 0)
        {
            LogLeaseLost(_logger, item.Id, item.Kind, item.Key, item.Attempts);
        }

        return updated == 1;
    }

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static string Format(DateTimeOffset time) => ResourceRepresentation.FormatTime(time);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Claimed {Count} work items as {Owner}")]
    private static partial void LogClaimed(ILogger logger, int count, string owner);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning,
        Message = "Lease on work item {Id} ({Kind} {Key}, attempt {Attempts}) was lost before it finished; another worker may run it again")]
    private static partial void LogLeaseLost(ILogger logger, long id, string kind, string key, int attempts);

    /// <summary>A work_items row as the claim returns it (columns aliased to these names).</summary>
    private sealed class Row
    {
        public long Id { get; init; }

        public string Kind { get; init; } = "";

        public string Key { get; init; } = "";

        public string Payload { get; init; } = "";

        public long Attempts { get; init; }

        public string NotBefore { get; init; } = "";

        public string LeaseOwner { get; init; } = "";

        public string LeaseExpires { get; init; } = "";

        public string? LastError { get; init; }

        public WorkItem ToItem() =>
            new(Id, Kind, Key, Payload, checked((int)Attempts), Parse(NotBefore), LeaseOwner, Parse(LeaseExpires), LastError);
    }
}

/// <summary>The work queue on PostgreSQL: claims skip rows other replicas hold (FOR UPDATE SKIP LOCKED).</summary>
internal sealed class PostgresWorkQueue(IStoreDatabase database, TimeProvider clock, ILogger<PostgresWorkQueue> logger, string? owner = null)
    : WorkQueue(database, WorkQueueSql.Postgres, clock, logger, owner);

/// <summary>The work queue on SQLite: one process, one writer, so a claim needs no row locks.</summary>
internal sealed class SqliteWorkQueue(IStoreDatabase database, TimeProvider clock, ILogger<SqliteWorkQueue> logger, string? owner = null)
    : WorkQueue(database, WorkQueueSql.Sqlite, clock, logger, owner);
