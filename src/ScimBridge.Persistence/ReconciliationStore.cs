using System.Globalization;
using System.Text.Json;
using Dapper;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Resources;
using ScimBridge.Persistence.Postgres;

namespace ScimBridge.Persistence;

/// <summary>
/// What reconciliation remembers between runs, over either database (migration 003): the identities it manages per
/// target (managed_access) and its runs with their reports (reconcile_runs).
/// </summary>
internal sealed class ReconciliationStore(IStoreDatabase database) : IReconciliationStore
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const int PruneBatch = 5000;

    private readonly Statements _sql = database.Dialect is PostgresDialect ? Statements.Postgres : Statements.Sqlite;

    public Task<IReadOnlyDictionary<string, ManagedIdentity>> GetManagedAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return database.ReadAsync<IReadOnlyDictionary<string, ManagedIdentity>>(
            async db => (await db.QueryAsync<(string Email, string IdentityId, string ConnectionId)>(new CommandDefinition(
                    "SELECT email, identity_id, connection_id FROM managed_access WHERE target = @target",
                    new { target },
                    cancellationToken: cancellationToken)))
                .ToDictionary(
                    row => row.Email,
                    row => new ManagedIdentity(row.Email, row.IdentityId, Guid.Parse(row.ConnectionId)),
                    StringComparer.OrdinalIgnoreCase),
            cancellationToken);
    }

    public Task UpdateManagedAsync(
        string target, IReadOnlyCollection<ManagedIdentity> manage, IReadOnlyCollection<string> forgetEmails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(manage);
        ArgumentNullException.ThrowIfNull(forgetEmails);

        // Keyed by the lower-cased email, the last of duplicates winning: one statement may not upsert a row twice
        // (PostgreSQL refuses, "ON CONFLICT DO UPDATE command cannot affect row a second time").
        var managed = new Dictionary<string, ManagedIdentity>(StringComparer.Ordinal);
        foreach (var identity in manage)
        {
            var email = identity.Email.ToLowerInvariant();
            managed[email] = identity with { Email = email };
        }

        // Managing wins over forgetting: forgetting someone still granted access would turn them into unmanaged
        // access, while remembering a leaver only makes the next run look at them again.
        var forget = forgetEmails.Select(e => e.ToLowerInvariant()).Where(e => !managed.ContainsKey(e)).Distinct(StringComparer.Ordinal).ToList();
        if (managed.Count == 0 && forget.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            async (db, tx) =>
            {
                if (managed.Count > 0)
                {
                    await db.ExecuteAsync(new CommandDefinition(
                        _sql.UpsertManaged,
                        new { target, rows = ManagedRows(managed.Values), since = ResourceRepresentation.FormatTime(now) },
                        tx,
                        cancellationToken: cancellationToken));
                }

                if (forget.Count > 0)
                {
                    var parameters = new DynamicParameters();
                    parameters.Add("target", target);
                    parameters.Add("emails", database.Dialect.IdsParameter(forget));
                    await db.ExecuteAsync(new CommandDefinition(
                        $"DELETE FROM managed_access WHERE target = @target AND {database.Dialect.InIds("email", "@emails")}",
                        parameters,
                        tx,
                        cancellationToken: cancellationToken));
                }

                return 0;
            },
            cancellationToken);
    }

    public Task SaveRunAsync(ReconcileRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(
                _sql.SaveRun,
                new
                {
                    id = run.Id.ToString(),
                    target = run.Target,
                    trigger = run.Trigger,
                    dryRun = run.DryRun,
                    status = run.Status,
                    started = ResourceRepresentation.FormatTime(run.Started),
                    finished = run.Finished is { } finished ? ResourceRepresentation.FormatTime(finished) : null,
                    report = run.ReportJson,
                },
                tx,
                cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public Task<ReconcileRunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async db => (await db.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
                $"SELECT {_sql.RunColumns} FROM reconcile_runs WHERE id = {_sql.IdParameter}",
                new { id = id.ToString() },
                cancellationToken: cancellationToken)))?.ToRecord(),
            cancellationToken);

    // In batches, so a first sweep over months of runs holds the write lock briefly each time (SQLite has one writer).
    public async Task<int> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        const string Sql =
            "DELETE FROM reconcile_runs WHERE id IN (SELECT id FROM reconcile_runs old WHERE old.started < @before "
            + "AND old.started < (SELECT MAX(newest.started) FROM reconcile_runs newest WHERE newest.target = old.target) LIMIT @batch)";
        var total = 0;
        int deleted;
        do
        {
            deleted = await database.WriteAsync(
                (db, tx) => db.ExecuteAsync(new CommandDefinition(Sql, new { before = ResourceRepresentation.FormatTime(before), batch = PruneBatch }, tx, cancellationToken: cancellationToken)),
                cancellationToken);
            total += deleted;
        }
        while (deleted == PruneBatch);
        return total;
    }

    public Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string target, IReadOnlyCollection<string> triggers, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(triggers);
        return database.ReadAsync<IReadOnlyList<ReconcileRunRecord>>(
            async db => [.. (await db.QueryAsync<RunRow>(new CommandDefinition(
                $"SELECT {_sql.RunColumns} FROM reconcile_runs WHERE target = @target AND {database.Dialect.InList("\"trigger\"", "@triggers")} ORDER BY started DESC LIMIT @limit",
                new { target, triggers = triggers.ToArray(), limit },
                cancellationToken: cancellationToken))).Select(r => r.ToRecord())],
            cancellationToken);
    }

    public Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string? target, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // Two statements rather than "@target IS NULL OR target = @target", so each is planned on its own index. The
        // reports stay behind: a full pass's report is megabytes, and a listing shows none of it.
        var columns = _sql.RunColumns[.._sql.RunColumns.LastIndexOf(',')] + ", '' AS Report";
        var sql = target is null
            ? $"SELECT {columns} FROM reconcile_runs ORDER BY started DESC LIMIT @limit"
            : $"SELECT {columns} FROM reconcile_runs WHERE target = @target ORDER BY started DESC LIMIT @limit";
        return database.ReadAsync<IReadOnlyList<ReconcileRunRecord>>(
            async db => [.. (await db.QueryAsync<RunRow>(new CommandDefinition(sql, new { target, limit }, cancellationToken: cancellationToken))).Select(r => r.ToRecord())],
            cancellationToken);
    }

    private static string ManagedRows(IEnumerable<ManagedIdentity> identities)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var identity in identities)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(identity.Email);
                writer.WriteStringValue(identity.IdentityId);
                writer.WriteStringValue(identity.ConnectionId.ToString());
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A reconcile_runs row as <see cref="Statements.RunColumns"/> selects it.</summary>
    private sealed class RunRow
    {
        public string Id { get; init; } = "";

        public string Target { get; init; } = "";

        public string Trigger { get; init; } = "";

        public long DryRun { get; init; }

        public string Status { get; init; } = "";

        public string Started { get; init; } = "";

        public string? Finished { get; init; }

        public string Report { get; init; } = "";

        public ReconcileRunRecord ToRecord() =>
            new(Guid.Parse(Id), Target, Trigger, DryRun != 0, Status, ParseTime(Started), Finished is null ? null : ParseTime(Finished), Report);
    }

    /// <summary>The statements that differ between the databases: uuid, boolean and jsonb columns in PostgreSQL, text and integers in SQLite.</summary>
    private sealed record Statements(string UpsertManaged, string SaveRun, string RunColumns, string IdParameter)
    {
        // since is written once, when an identity is first managed; later runs only refresh who it is.
        // ORDER BY email: concurrent runs on one target (a replica's worker and another's full pass) lock the rows in
        // the same order, so they wait for one another instead of deadlocking.
        public static Statements Postgres { get; } = new(
            """
            INSERT INTO managed_access (target, email, identity_id, connection_id, since)
            SELECT @target, r.value ->> 0, r.value ->> 1, r.value ->> 2, @since
            FROM jsonb_array_elements(CAST(@rows AS jsonb)) AS r(value)
            ORDER BY 2
            ON CONFLICT (target, email) DO UPDATE SET identity_id = EXCLUDED.identity_id, connection_id = EXCLUDED.connection_id
            """,
            """
            INSERT INTO reconcile_runs (id, target, "trigger", dry_run, status, started, finished, report)
            VALUES (CAST(@id AS uuid), @target, @trigger, @dryRun, @status, @started, @finished, CAST(@report AS jsonb))
            ON CONFLICT (id) DO UPDATE SET target = EXCLUDED.target, "trigger" = EXCLUDED."trigger", dry_run = EXCLUDED.dry_run,
                status = EXCLUDED.status, started = EXCLUDED.started, finished = EXCLUDED.finished, report = EXCLUDED.report
            """,
            """
            CAST(id AS text) AS Id, target AS Target, "trigger" AS Trigger, CAST(dry_run AS integer) AS DryRun, status AS Status,
                started AS Started, finished AS Finished, CAST(report AS text) AS Report
            """,
            "CAST(@id AS uuid)");

        // WHERE true: SQLite's fix for the parsing ambiguity of an upsert after INSERT … SELECT … FROM
        // (https://www.sqlite.org/lang_upsert.html).
        public static Statements Sqlite { get; } = new(
            """
            INSERT INTO managed_access (target, email, identity_id, connection_id, since)
            SELECT @target, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'), @since
            FROM json_each(@rows) AS r
            WHERE true
            ON CONFLICT (target, email) DO UPDATE SET identity_id = excluded.identity_id, connection_id = excluded.connection_id
            """,
            """
            INSERT INTO reconcile_runs (id, target, "trigger", dry_run, status, started, finished, report)
            VALUES (@id, @target, @trigger, @dryRun, @status, @started, @finished, @report)
            ON CONFLICT (id) DO UPDATE SET target = excluded.target, "trigger" = excluded."trigger", dry_run = excluded.dry_run,
                status = excluded.status, started = excluded.started, finished = excluded.finished, report = excluded.report
            """,
            """
            id AS Id, target AS Target, "trigger" AS Trigger, dry_run AS DryRun, status AS Status,
                started AS Started, finished AS Finished, report AS Report
            """,
            "@id");
    }
}
