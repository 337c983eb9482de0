using System.Globalization;
using System.Text;
using Dapper;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;
using ScimBridge.Core.Resources;

namespace ScimBridge.Persistence.Activity;

/// <summary>
/// Ingested platform activity over either database (migration 006). The statements are the same on both: booleans are
/// bound as parameters and read back through CASE, times are fixed-width UTC text, and the keyset columns compare
/// byte-wise (COLLATE "C" in PostgreSQL), so a page cursor means the same thing on SQLite and PostgreSQL.
/// </summary>
internal sealed class ActivityStore(IStoreDatabase database) : IActivityStore
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private const string Insert = """
        INSERT INTO activity_events (target, event_id, platform, occurred_at, action, actor_platform_id, actor_email, actor_key_id,
            identity_connection, identity_user_name, identity_active, ip_address, user_agent, deprovisioned, unknown_key, ingested_at)
        VALUES (@Target, @EventId, @Platform, @OccurredAt, @Action, @ActorPlatformId, @ActorEmail, @ActorKeyId,
            @IdentityConnection, @IdentityUserName, @IdentityActive, @IpAddress, @UserAgent, @Deprovisioned, @UnknownKey, @IngestedAt)
        ON CONFLICT (target, event_id) DO NOTHING
        """;

    private const string Columns = """
        target AS Target, event_id AS EventId, platform AS Platform, occurred_at AS OccurredAt, action AS Action,
        actor_platform_id AS ActorPlatformId, actor_email AS ActorEmail, actor_key_id AS ActorKeyId,
        identity_connection AS IdentityConnection, identity_user_name AS IdentityUserName,
        CASE WHEN identity_active IS NULL THEN NULL WHEN identity_active THEN 1 ELSE 0 END AS IdentityActive,
        ip_address AS IpAddress, user_agent AS UserAgent,
        CASE WHEN deprovisioned THEN 1 ELSE 0 END AS Deprovisioned, CASE WHEN unknown_key THEN 1 ELSE 0 END AS UnknownKey
        """;

    public Task<DateTimeOffset?> GetCursorAsync(string target, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async db => await db.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT since FROM activity_cursors WHERE target = @target", new { target }, cancellationToken: cancellationToken)) is { } since
                ? ParseTime(since)
                : (DateTimeOffset?)null,
            cancellationToken);

    public Task SetCursorAsync(string target, DateTimeOffset cursor, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(
                "INSERT INTO activity_cursors (target, since) VALUES (@target, @since) ON CONFLICT (target) DO UPDATE SET since = @since",
                new { target, since = ResourceRepresentation.FormatTime(cursor) },
                tx,
                cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<int> AppendAsync(IReadOnlyList<ActivityRecord> records, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.FromResult(0);
        }

        var ingested = ResourceRepresentation.FormatTime(ingestedAt);
        var rows = records.Select(r => new
        {
            r.Target,
            EventId = r.Id,
            r.Platform,
            OccurredAt = ResourceRepresentation.FormatTime(r.Time),
            r.Action,
            ActorPlatformId = r.Actor.PlatformId,
            ActorEmail = r.Actor.Email,
            ActorKeyId = r.Actor.ApiKeyId,
            IdentityConnection = r.Identity?.Connection,
            IdentityUserName = r.Identity?.UserName,
            IdentityActive = r.Identity?.Active,
            r.IpAddress,
            r.UserAgent,
            Deprovisioned = r.Flags.Contains(ActivityFlags.Deprovisioned),
            UnknownKey = r.Flags.Contains(ActivityFlags.UnknownKey),
            IngestedAt = ingested,
        }).ToList();

        // Dapper runs the statement once per row inside the one transaction; DO NOTHING makes a row already stored count 0.
        return database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(Insert, rows, tx, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public Task<ActivityPage> ListAsync(ActivityFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (filter.Target is not null)
        {
            where.Add("target = @target");
            parameters.Add("target", filter.Target);
        }

        if (filter.Flag == ActivityFlags.Deprovisioned)
        {
            where.Add("deprovisioned = @yes");
            parameters.Add("yes", true);
        }
        else if (filter.Flag == ActivityFlags.UnknownKey)
        {
            where.Add("unknown_key = @yes");
            parameters.Add("yes", true);
        }

        if (filter.Cursor is not null)
        {
            var (time, target, eventId) = DecodeCursor(filter.Cursor);
            where.Add("(occurred_at < @cTime OR (occurred_at = @cTime AND (target < @cTarget OR (target = @cTarget AND event_id < @cEvent))))");
            parameters.Add("cTime", time);
            parameters.Add("cTarget", target);
            parameters.Add("cEvent", eventId);
        }

        parameters.Add("limit", filter.Limit + 1);
        var sql = $"""
            SELECT {Columns} FROM activity_events
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY occurred_at DESC, target DESC, event_id DESC LIMIT @limit
            """;
        return database.ReadAsync(
            async db =>
            {
                var rows = (await db.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
                var more = rows.Count > filter.Limit;
                var page = more ? rows.GetRange(0, filter.Limit) : rows;
                return new ActivityPage([.. page.Select(r => r.ToRecord())], more ? EncodeCursor(page[^1]) : null);
            },
            cancellationToken);
    }

    private static string EncodeCursor(Row last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.OccurredAt}\n{last.Target}\n{last.EventId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string Time, string Target, string EventId) DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('\n');
            if (parts.Length == 3)
            {
                return (parts[0], parts[1], parts[2]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the one error below.
        }

        throw new ArgumentException("cursor is not one this API returned.", nameof(cursor));
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>An activity_events row as <see cref="Columns"/> selects it.</summary>
    private sealed class Row
    {
        public string Target { get; init; } = "";

        public string EventId { get; init; } = "";

        public string Platform { get; init; } = "";

        public string OccurredAt { get; init; } = "";

        public string Action { get; init; } = "";

        public string? ActorPlatformId { get; init; }

        public string? ActorEmail { get; init; }

        public string? ActorKeyId { get; init; }

        public string? IdentityConnection { get; init; }

        public string? IdentityUserName { get; init; }

        public long? IdentityActive { get; init; }

        public string? IpAddress { get; init; }

        public string? UserAgent { get; init; }

        public long Deprovisioned { get; init; }

        public long UnknownKey { get; init; }

        public ActivityRecord ToRecord()
        {
            var flags = new List<string>(2);
            if (Deprovisioned != 0)
            {
                flags.Add(ActivityFlags.Deprovisioned);
            }

            if (UnknownKey != 0)
            {
                flags.Add(ActivityFlags.UnknownKey);
            }

            var identity = IdentityUserName is not null ? new IdentityRef(IdentityConnection ?? "", IdentityUserName, IdentityActive != 0) : null;
            return new ActivityRecord(
                Target, Platform, EventId, ParseTime(OccurredAt), Action, new ActivityActor(ActorPlatformId, ActorEmail, ActorKeyId), identity, IpAddress, UserAgent, flags);
        }
    }
}
