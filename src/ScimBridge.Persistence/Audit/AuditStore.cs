using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using ScimBridge.Core.Audit;
using ScimBridge.Persistence.Postgres;

namespace ScimBridge.Persistence.Audit;

/// <summary>
/// The audit chain over either database (migration 004). Appends lock the single audit_chain row, read the head, seal
/// the batch after it and move the head, all in one transaction: replicas appending at once take turns on that row,
/// so the chain stays linear and numbered in commit order. Retention deletes a prefix and moves the base with it.
/// </summary>
internal sealed class AuditStore(IStoreDatabase database) : IAuditStore
{
    private const int ReadPage = 1000;

    /// <summary>Rows deleted per retention transaction, so pruning a large backlog never holds SQLite's writer for long.</summary>
    internal const int PruneChunk = 10_000;

    private const string Columns =
        "seq, occurred, kind, actor, connection, target, resource_type, resource_id, action, outcome, request_id, details, prev_hash, hash";

    private const string Select =
        "seq AS Seq, occurred AS Occurred, kind AS Kind, actor AS Actor, connection AS Connection, target AS Target, resource_type AS ResourceType, " +
        "resource_id AS ResourceId, action AS Action, outcome AS Outcome, request_id AS RequestId, details AS Details, prev_hash AS PrevHash, hash AS Hash";

    private readonly bool _postgres = database.Dialect is PostgresDialect;

    /// <summary>Seals <paramref name="events"/> onto the chain in one transaction; returns the records as stored.</summary>
    public Task<List<AuditRecord>> AppendBatchAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult(new List<AuditRecord>());
        }

        // Serialised before the transaction: on SQLite the write gate (and on PostgreSQL the chain row) is held only
        // for hashing, inserting and moving the head.
        var canonical = AuditChain.CanonicalBytes(events);
        return database.WriteAsync(
            async (db, tx) =>
            {
                var head = await db.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
                    "SELECT head_seq, head_hash FROM audit_chain WHERE id = 1" + database.Dialect.LockForUpdate, transaction: tx, cancellationToken: cancellationToken));
                var records = AuditChain.Seal(head.Seq, head.Hash, events, canonical);
                if (_postgres)
                {
                    await InsertPostgresAsync((NpgsqlConnection)db, (NpgsqlTransaction)tx, records, cancellationToken);
                }
                else
                {
                    await InsertSqliteAsync(db, tx, records, cancellationToken);
                }

                var last = records[^1];
                await db.ExecuteAsync(new CommandDefinition(
                    "UPDATE audit_chain SET head_seq = @seq, head_hash = @hash WHERE id = 1", new { seq = last.Sequence, hash = last.Hash }, tx, cancellationToken: cancellationToken));
                return records;
            },
            cancellationToken);
    }

    public Task<AuditAnchor> GetAnchorAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            db => db.QuerySingleAsync<AuditAnchor>(new CommandDefinition(
                "SELECT base_seq AS BaseSequence, base_hash AS BaseHash, head_seq AS HeadSequence, head_hash AS HeadHash FROM audit_chain WHERE id = 1",
                cancellationToken: cancellationToken)),
            cancellationToken);

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = Where(query);
        if (query.Before is { } before)
        {
            where.Add("seq < @before");
            parameters.Add("before", before);
        }

        parameters.Add("limit", query.Limit + 1);
        var rows = await database.ReadAsync(
            async db => (await db.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Select} FROM audit_events {Clause(where)} ORDER BY seq DESC LIMIT @limit", parameters, cancellationToken: cancellationToken))).ToList(),
            cancellationToken);
        var more = rows.Count > query.Limit;
        var page = rows.Take(query.Limit).Select(r => r.ToRecord()).ToList();
        return new AuditPage(page, more ? page[^1].Sequence : null);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery filter, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter);
        where.Add("seq > @after");
        parameters.Add("limit", ReadPage);
        var sql = $"SELECT {Select} FROM audit_events {Clause(where)} ORDER BY seq LIMIT @limit";
        var after = afterSequence;
        while (true)
        {
            // One short read per page: a long export never holds a read connection (or a snapshot) for its whole length.
            parameters.Add("after", after);
            var rows = await database.ReadAsync(
                async db => (await db.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList(),
                cancellationToken);
            foreach (var row in rows)
            {
                yield return row.ToRecord();
            }

            if (rows.Count < ReadPage)
            {
                yield break;
            }

            after = rows[^1].Seq;
        }
    }

    public async Task<(int Deleted, long BaseSequence)> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var cutoff = AuditChain.FormatTime(before);

        // Only a prefix goes: everything before the first event to keep, even if a replica with a skewed clock put an
        // older time on a newer event (a gap in the middle would read as deleted events). Found once, by walking the
        // chain from its old end: what is walked is what is about to be deleted.
        // Nothing appended after this read is pruned, however old its time claims to be.
        var head = (await GetAnchorAsync(cancellationToken)).HeadSequence;
        var firstKept = await database.ReadAsync(
            db => db.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT seq FROM audit_events WHERE occurred >= @cutoff ORDER BY seq LIMIT 1", new { cutoff }, cancellationToken: cancellationToken)),
            cancellationToken);
        var total = 0;
        while (true)
        {
            var (deleted, baseSeq, done) = await database.WriteAsync(
                async (db, tx) =>
                {
                    var chain = await db.QuerySingleAsync<(long BaseSeq, long HeadSeq)>(new CommandDefinition(
                        "SELECT base_seq, head_seq FROM audit_chain WHERE id = 1" + database.Dialect.LockForUpdate, transaction: tx, cancellationToken: cancellationToken));
                    var through = Math.Min(Math.Min(firstKept is { } kept ? kept - 1 : head, head), chain.BaseSeq + PruneChunk);
                    if (through <= chain.BaseSeq)
                    {
                        return (0, chain.BaseSeq, true);
                    }

                    var hash = await db.ExecuteScalarAsync<string>(new CommandDefinition(
                        "SELECT hash FROM audit_events WHERE seq = @through", new { through }, tx, cancellationToken: cancellationToken))
                        ?? throw new InvalidOperationException($"Audit event {through} is missing; run `scimbridge audit verify` before pruning.");
                    var count = await db.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM audit_events WHERE seq <= @through", new { through }, tx, cancellationToken: cancellationToken));
                    await db.ExecuteAsync(new CommandDefinition(
                        "UPDATE audit_chain SET base_seq = @through, base_hash = @hash WHERE id = 1", new { through, hash }, tx, cancellationToken: cancellationToken));
                    return (count, through, through < chain.BaseSeq + PruneChunk);
                },
                cancellationToken);
            total += deleted;
            if (done)
            {
                return (total, baseSeq);
            }
        }
    }

    private static async Task InsertSqliteAsync(DbConnection db, DbTransaction tx, List<AuditRecord> records, CancellationToken cancellationToken)
    {
        // One prepared statement, re-bound per row: SQLite has no round trip, so this is as fast as a multi-row insert.
        await using var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            $"INSERT INTO audit_events ({Columns}) VALUES (@seq, @occurred, @kind, @actor, @connection, @target, @resource_type, @resource_id, @action, @outcome, @request_id, @details, @prev_hash, @hash)";
        var parameters = Columns.Split(", ").Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        foreach (var record in records)
        {
            var values = Values(record);
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InsertPostgresAsync(NpgsqlConnection db, NpgsqlTransaction tx, List<AuditRecord> records, CancellationToken cancellationToken)
    {
        // One statement for the batch (arrays unnested): the audit_chain row lock is held for one round trip, not one
        // per event, which is what keeps replicas from queueing behind each other.
        var names = Columns.Split(", ");
        await using var command = new NpgsqlCommand(
            $"INSERT INTO audit_events ({Columns}) SELECT * FROM unnest(@seq, {string.Join(", ", names.Skip(1).Select(n => "@" + n))})", db, tx);
        command.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = records.Select(r => r.Sequence).ToArray() });
        var rows = records.Select(Values).ToList();
        for (var i = 1; i < names.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter(names[i], NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(v => (string?)v[i]).ToArray() });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object?[] Values(AuditRecord r)
    {
        var e = r.Event;
        return [r.Sequence, AuditChain.FormatTime(e.Occurred), e.Kind, e.Actor, e.Connection, e.Target, e.ResourceType, e.ResourceId, e.Action, e.Outcome, e.RequestId, e.Details, r.PreviousHash, r.Hash];
    }

    private static (List<string> Where, DynamicParameters Parameters) Where(AuditQuery query)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        void Equal(string column, string name, string? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{name}");
                parameters.Add(name, value);
            }
        }

        if (query.From is { } from)
        {
            where.Add("occurred >= @from");
            parameters.Add("from", AuditChain.FormatTime(from));
        }

        if (query.To is { } to)
        {
            where.Add("occurred < @to");
            parameters.Add("to", AuditChain.FormatTime(to));
        }

        Equal("kind", "kind", query.Kind);
        if (query.Kind is not null and not AuditKinds.ScimRequest)
        {
            // The kind index leaves SCIM events out (migration 004); this term, verbatim, lets the planner use it.
            where.Add($"kind <> '{AuditKinds.ScimRequest}'");
        }

        Equal("connection", "connection", query.Connection);
        Equal("target", "target", query.Target);
        Equal("actor", "actor", query.Actor);
        Equal("outcome", "outcome", query.Outcome);
        if (query.Resource is { } resource)
        {
            // Reads are not in the resource index (migration 004): the filter finds what was done to a resource.
            where.Add("action NOT IN ('read', 'list', 'search')");
            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                Equal("resource_type", "resource_type", resource[..slash]);
                Equal("resource_id", "resource_id", resource[(slash + 1)..]);
            }
            else
            {
                where.Add("(resource_id = @resource OR resource_type = @resource)");
                parameters.Add("resource", resource);
            }
        }

        return (where, parameters);
    }

    private static string Clause(List<string> where) =>
        where.Count == 0 ? "" : new StringBuilder("WHERE ").AppendJoin(" AND ", where).ToString();

    private sealed class Row
    {
        public long Seq { get; init; }

        public string Occurred { get; init; } = "";

        public string Kind { get; init; } = "";

        public string? Actor { get; init; }

        public string? Connection { get; init; }

        public string? Target { get; init; }

        public string? ResourceType { get; init; }

        public string? ResourceId { get; init; }

        public string? Action { get; init; }

        public string Outcome { get; init; } = "";

        public string? RequestId { get; init; }

        public string? Details { get; init; }

        public string PrevHash { get; init; } = "";

        public string Hash { get; init; } = "";

        public AuditRecord ToRecord()
        {
            // A mangled time (edited in the database) must still reach the verifier, which reports it as an edit.
            var occurred = DateTimeOffset.TryParseExact(
                Occurred, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;
            return new AuditRecord(Seq, PrevHash, Hash, new AuditEvent(
                occurred, Kind, Actor, Connection, Target, ResourceType, ResourceId, Action, Outcome, RequestId, Details));
        }
    }
}
