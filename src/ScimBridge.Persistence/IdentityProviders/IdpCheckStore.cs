using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.IdentityProviders;
using ScimBridge.Core.Resources;
using ScimBridge.Persistence.Postgres;

namespace ScimBridge.Persistence.IdentityProviders;

public static class IdpCheckStorageRegistration
{
    /// <summary>The store of IdP check runs and cursors, over whichever database AddScimBridgeStorage chose.</summary>
    public static IServiceCollection AddIdpCheckStorage(this IServiceCollection services) =>
        services.AddSingleton<IIdpCheckStore, IdpCheckStore>();
}

/// <summary>Check runs, their findings, and per-connection cursors over either database (migration 005).</summary>
internal sealed class IdpCheckStore(IStoreDatabase database) : IIdpCheckStore
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly bool _postgres = database.Dialect is PostgresDialect;

    private string Uuid(string parameter) => _postgres ? $"CAST({parameter} AS uuid)" : parameter;

    private string Json(string parameter) => _postgres ? $"CAST({parameter} AS jsonb)" : parameter;

    private string IdText => _postgres ? "CAST(id AS text)" : "id";

    private string ReportText => _postgres ? "CAST(report AS text)" : "report";

    private string Columns => $"{IdText} AS Id, connection AS Connection, \"trigger\" AS Trigger, status AS Status, findings AS Findings, started AS Started, finished AS Finished, {ReportText} AS Report";

    public Task SaveRunAsync(IdpCheckReport report, IdpCursorState? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var id = report.Id.ToString();
        return database.WriteAsync(
            async (db, tx) =>
            {
                await db.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO idp_check_runs (id, connection, "trigger", status, findings, started, finished, report)
                    VALUES ({Uuid("@id")}, @connection, @trigger, @status, @findings, @started, @finished, {Json("@report")})
                    """,
                    new
                    {
                        id,
                        connection = report.Connection,
                        trigger = report.Trigger,
                        status = report.Status,
                        findings = report.Findings.Count,
                        started = ResourceRepresentation.FormatTime(report.Started),
                        finished = ResourceRepresentation.FormatTime(report.Finished),
                        report = JsonSerializer.Serialize(report, IdpCheckReport.Json),
                    },
                    tx,
                    cancellationToken: cancellationToken));
                if (report.Findings.Count > 0)
                {
                    await db.ExecuteAsync(new CommandDefinition(
                        $"""
                        INSERT INTO idp_check_findings (run_id, seq, kind, idp_user_id, user_name, scim_user_id, idp_group_id, group_name, scim_group_id)
                        VALUES ({Uuid("@id")}, @seq, @kind, @idpUserId, @userName, @scimUserId, @idpGroupId, @groupName, @scimGroupId)
                        """,
                        report.Findings.Select((f, seq) => new
                        {
                            id,
                            seq,
                            kind = f.Kind.ToString(),
                            idpUserId = f.IdpUserId,
                            userName = f.UserName,
                            scimUserId = f.ScimUserId,
                            idpGroupId = f.IdpGroupId,
                            groupName = f.GroupName,
                            scimGroupId = f.ScimGroupId,
                        }),
                        tx,
                        cancellationToken: cancellationToken));
                }

                if (cursor is not null)
                {
                    await db.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO idp_check_cursors (connection, next_cursor, idp_view, updated) VALUES (@connection, @next, @view, @updated)
                        ON CONFLICT (connection) DO UPDATE SET next_cursor = excluded.next_cursor, idp_view = excluded.idp_view, updated = excluded.updated
                        """,
                        new
                        {
                            connection = report.Connection,
                            next = cursor.Cursor,
                            view = IdpViewJson.Write(cursor.View),
                            updated = ResourceRepresentation.FormatTime(cursor.Updated),
                        },
                        tx,
                        cancellationToken: cancellationToken));
                }

                return 0;
            },
            cancellationToken);
    }

    // In batches, findings first; both statements pick the same oldest runs (the newest, still being written, are never
    // among them, and one replica at a time sweeps).
    public async Task<int> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        const int Batch = 1000;
        const string Oldest =
            "SELECT id FROM idp_check_runs old WHERE old.started < @before "
            + "AND old.started < (SELECT MAX(newest.started) FROM idp_check_runs newest WHERE newest.connection = old.connection) "
            + "ORDER BY old.started, old.id LIMIT @batch";
        var total = 0;
        int deleted;
        do
        {
            deleted = await database.WriteAsync(
                async (db, tx) =>
                {
                    var parameters = new { before = ResourceRepresentation.FormatTime(before), batch = Batch };
                    await db.ExecuteAsync(new CommandDefinition($"DELETE FROM idp_check_findings WHERE run_id IN ({Oldest})", parameters, tx, cancellationToken: cancellationToken));
                    return await db.ExecuteAsync(new CommandDefinition($"DELETE FROM idp_check_runs WHERE id IN ({Oldest})", parameters, tx, cancellationToken: cancellationToken));
                },
                cancellationToken);
            total += deleted;
        }
        while (deleted == Batch);
        return total;
    }

    public Task<IdpCheckRunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async db => (await db.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
                $"SELECT {Columns} FROM idp_check_runs WHERE id = {Uuid("@id")}",
                new { id = id.ToString() },
                cancellationToken: cancellationToken)))?.ToRecord(),
            cancellationToken);

    public Task<IReadOnlyList<IdpCheckRunRecord>> ListRunsAsync(string? connection, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // Two statements rather than "@connection IS NULL OR …", so each is planned on its own index.
        var sql = connection is null
            ? $"SELECT {Columns} FROM idp_check_runs ORDER BY started DESC LIMIT @limit"
            : $"SELECT {Columns} FROM idp_check_runs WHERE connection = @connection ORDER BY started DESC LIMIT @limit";
        return database.ReadAsync<IReadOnlyList<IdpCheckRunRecord>>(
            async db => [.. (await db.QueryAsync<RunRow>(new CommandDefinition(sql, new { connection, limit }, cancellationToken: cancellationToken))).Select(r => r.ToRecord())],
            cancellationToken);
    }

    public Task<IdpCursorState?> GetCursorAsync(string connection, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async db => (await db.QuerySingleOrDefaultAsync<CursorRow>(new CommandDefinition(
                "SELECT next_cursor AS Next, idp_view AS View, updated AS Updated FROM idp_check_cursors WHERE connection = @connection",
                new { connection },
                cancellationToken: cancellationToken))) is { } row
                ? new IdpCursorState(row.Next, IdpViewJson.Read(row.View), ParseTime(row.Updated))
                : null,
            cancellationToken);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class CursorRow
    {
        public string? Next { get; init; }

        public string View { get; init; } = "";

        public string Updated { get; init; } = "";
    }

    private sealed class RunRow
    {
        public string Id { get; init; } = "";

        public string Connection { get; init; } = "";

        public string Trigger { get; init; } = "";

        public string Status { get; init; } = "";

        public long Findings { get; init; }

        public string Started { get; init; } = "";

        public string Finished { get; init; } = "";

        public string Report { get; init; } = "";

        public IdpCheckRunRecord ToRecord() =>
            new(Guid.Parse(Id), Connection, Trigger, Status, (int)Findings, ParseTime(Started), ParseTime(Finished), Report);
    }
}
