using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using System.Data.Common;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Resources;
using ScimBridge.Core.Storage;
using ScimBridge.Persistence.Outbox;
using ScimBridge.Persistence.Sql;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Persistence;

/// <summary>
/// The SCIM store over either database: the logic is here once, and what differs between SQLite and PostgreSQL comes
/// from <see cref="IStoreDatabase"/> and its <see cref="ISqlDialect"/>. Every write that can change what a user is
/// granted queues an identity change for that user in the same transaction (<see cref="IdentityOutbox"/>).
/// </summary>
internal sealed class ResourceStore(IStoreDatabase database, TimeProvider clock) : IResourceStore
{
    private readonly IdentityOutbox _outbox = new(database.Dialect, clock);
    private readonly OutboxSql _sql = OutboxSql.For(database.Dialect);

    private const string SelectColumns = "r.id AS Id, r.body AS Body, r.version AS Version, r.created AS Created, r.last_modified AS LastModified";


    /// <summary>Keeps IN lists well under SQLite's bound-parameter limit.</summary>
    private const int Chunk = 500;

    public async Task<ResourceRecord?> GetAsync(ScimResourceKind kind, Guid connectionId, string id, bool includeRelations, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync(
            $"SELECT {SelectColumns} FROM {Table(kind)} r WHERE r.connection_id = @p0 AND r.id = @p1",
            [new("@p0", connectionId.ToString()), new("@p1", id)],
            reader => Row.Read(reader, kind, connectionId),
            cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        return includeRelations ? (await WithRelationsAsync(rows, cancellationToken))[0] : rows[0];
    }

    public async Task<ResourcePage> QueryAsync(ScimResourceKind kind, Guid connectionId, ResourceQuery query, CancellationToken cancellationToken)
    {
        var schema = SchemaRegistry.Instance.For(kind);
        var parameters = new SqlParameters();
        var where = "r.connection_id = " + parameters.Add(connectionId.ToString());
        if (query.Filter is not null)
        {
            where += " AND " + FilterToSql.Where(query.Filter, schema, database.Dialect, parameters);
        }

        // COUNT binds only the filter's parameters: taken before sortBy adds its own.
        var filterParameters = parameters.List.Count;
        var orderBy = FilterToSql.OrderBy(query.SortBy, query.Descending, schema, database.Dialect, parameters);

        IReadOnlyList<ResourceRecord> records = [];
        if (query.Count > 0)
        {
            var limit = parameters.Add(query.Count);
            var offset = parameters.Add(query.StartIndex - 1);
            records = await database.QueryAsync(
                $"SELECT {SelectColumns} FROM {Table(kind)} r WHERE {where} ORDER BY {orderBy} LIMIT {limit} OFFSET {offset}",
                parameters.List,
                reader => Row.Read(reader, kind, connectionId),
                cancellationToken);
        }

        // A page that is neither empty nor full already tells the total (the usual answer to an IdP's
        // `userName eq` lookup), so the COUNT runs only when it could say something the page does not.
        var total = records.Count > 0 && records.Count < query.Count
            ? query.StartIndex - 1 + records.Count
            : (int)await database.ScalarAsync(
                $"SELECT COUNT(*) FROM {Table(kind)} r WHERE {where}", [.. parameters.List.Take(filterParameters)], cancellationToken);

        if (query.IncludeRelations && records.Count > 0)
        {
            records = await WithRelationsAsync(records, cancellationToken);
        }

        return new ResourcePage(total, records);
    }

    public Task CreateAsync(ResourceRecord record, IReadOnlyList<MemberRef>? members, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (db, tx) =>
            {
                var parameters = new DynamicParameters(Columns(record));
                var sql = InsertSql(record.Kind);
                if (record.Kind == ScimResourceKind.User)
                {
                    // The user and its outbox item in one command: one round trip on PostgreSQL.
                    sql += ";\n" + _outbox.AppendOne(parameters, IdentityOutbox.Change(record.ConnectionId, record.Id, record.Body, deleted: false));
                }

                try
                {
                    await db.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken));
                }
                catch (DbException e) when (database.IsUniqueViolation(e))
                {
                    throw Duplicate(record.Kind, record.Body);
                }

                if (members is { Count: > 0 })
                {
                    var delta = new MemberDelta(record.ConnectionId);
                    await AddMembersAsync(db, tx, record.ConnectionId, record.Id, members, delta, cancellationToken);
                    await EnqueueAffectedAsync(db, tx, record.ConnectionId, record.Id, delta, renamed: false, cancellationToken);
                }

                return 0;
            },
            cancellationToken);

    public Task<(WriteOutcome Outcome, ResourceRecord? Record)> UpdateAsync(
        ScimResourceKind kind,
        Guid connectionId,
        string id,
        JsonObject? body,
        IReadOnlyList<MemberChange> memberChanges,
        long? expectedVersion,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        database.WriteAsync<(WriteOutcome, ResourceRecord?)>(
            async (db, tx) =>
            {
                var key = new { connectionId = connectionId.ToString(), id };
                // displayName and externalId come along because policies match groups by them: a change to either is a
                // change for every member.
                var current = await db.QuerySingleOrDefaultAsync<CurrentRow>(new CommandDefinition(
                    $"SELECT version AS Version, display_name AS DisplayName, external_id AS ExternalId FROM {Table(kind)} WHERE connection_id = @connectionId AND id = @id{database.Dialect.LockForUpdate}",
                    key, tx, cancellationToken: cancellationToken));
                if (current is null)
                {
                    return (WriteOutcome.NotFound, null);
                }

                // The version is read and written in one write transaction while no other writer can touch the row
                // (SQLite's single writer; PostgreSQL's row lock taken by the SELECT above), so this If-Match check
                // cannot race the write it guards (RFC 7644 §3.14), and concurrent PATCHes from replicas serialise.
                if (expectedVersion is { } expected && expected != current.Version)
                {
                    return (WriteOutcome.VersionMismatch, null);
                }

                var delta = new MemberDelta(connectionId);
                var changed = 0;
                foreach (var change in memberChanges)
                {
                    changed += await ApplyMemberChangeAsync(db, tx, connectionId, id, change, delta, cancellationToken);
                }

                var renamed = false;
                var lastModified = ResourceRepresentation.FormatTime(now);
                if (body is not null)
                {
                    var columns = IndexedColumns.From(kind, body);
                    var parameters = new DynamicParameters(new
                    {
                        key.connectionId, id, body = body.ToJsonString(), lastModified,
                        columns.UserName, columns.UserNameFolded, columns.ExternalId, columns.DisplayName, columns.DisplayNameFolded, columns.Active,
                    });
                    var sql = UpdateSql(kind);
                    if (kind == ScimResourceKind.User)
                    {
                        // Any change to a user's body may change its grants; queued in the same command as the UPDATE.
                        sql += ";\n" + _outbox.AppendOne(parameters, IdentityOutbox.Change(connectionId, id, body, deleted: false));
                    }
                    else
                    {
                        renamed = !string.Equals(columns.DisplayName, current.DisplayName, StringComparison.Ordinal)
                            || !string.Equals(columns.ExternalId, current.ExternalId, StringComparison.Ordinal);
                    }

                    try
                    {
                        await db.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken));
                    }
                    catch (DbException e) when (database.IsUniqueViolation(e))
                    {
                        throw Duplicate(kind, body);
                    }
                }
                else if (changed > 0)
                {
                    await db.ExecuteAsync(new CommandDefinition(
                        $"UPDATE {Table(kind)} SET version = version + 1, last_modified = @lastModified WHERE connection_id = @connectionId AND id = @id",
                        new { key.connectionId, id, lastModified }, tx, cancellationToken: cancellationToken));
                }

                if (kind == ScimResourceKind.Group)
                {
                    await EnqueueAffectedAsync(db, tx, connectionId, id, delta, renamed, cancellationToken);
                }

                await using var reader = await db.ExecuteReaderAsync(new CommandDefinition(
                    $"SELECT {SelectColumns} FROM {Table(kind)} r WHERE r.connection_id = @connectionId AND r.id = @id", key, tx, cancellationToken: cancellationToken));
                await reader.ReadAsync(cancellationToken);
                return (WriteOutcome.Written, Row.Read(reader, kind, connectionId));
            },
            cancellationToken);

    public Task<WriteOutcome> DeleteAsync(ScimResourceKind kind, Guid connectionId, string id, long? expectedVersion, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (db, tx) =>
            {
                var key = new { connectionId = connectionId.ToString(), id, expectedVersion };
                var where = "connection_id = @connectionId AND id = @id AND (@expectedVersion IS NULL OR version = @expectedVersion)";
                int deleted;
                if (kind == ScimResourceKind.User)
                {
                    // The row is gone after this statement, and a leaver is found by email: RETURNING hands over the
                    // emails of exactly the row deleted, with no read that another writer could slip in front of.
                    var gone = (await db.QueryAsync<(string UserName, string? Emails)>(new CommandDefinition(
                        $"DELETE FROM users WHERE {where} RETURNING user_name, {_sql.Emails("body")}",
                        key, tx, cancellationToken: cancellationToken))).AsList();
                    deleted = gone.Count;
                    if (deleted > 0)
                    {
                        await _outbox.EnqueueAsync(db, tx, IdentityOutbox.Change(connectionId, id, gone[0].UserName, gone[0].Emails, deleted: true), cancellationToken);
                    }
                }
                else
                {
                    deleted = await db.ExecuteAsync(new CommandDefinition($"DELETE FROM groups WHERE {where}", key, tx, cancellationToken: cancellationToken));
                    if (deleted > 0)
                    {
                        // Read before the memberships go: every member loses this group.
                        await _outbox.EnqueueUsersAsync(db, tx, connectionId, [], allMembersOf: id, cancellationToken);
                    }
                }

                if (deleted == 0)
                {
                    var exists = await db.ExecuteScalarAsync<long>(new CommandDefinition(
                        $"SELECT COUNT(*) FROM {Table(kind)} WHERE connection_id = @connectionId AND id = @id", key, tx, cancellationToken: cancellationToken));
                    return exists == 0 ? WriteOutcome.NotFound : WriteOutcome.VersionMismatch;
                }

                // A deleted user or group leaves every group it was in; a deleted group loses its members.
                await db.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM group_members WHERE member_id = @id OR group_id = @id", key, tx, cancellationToken: cancellationToken));
                return WriteOutcome.Written;
            },
            cancellationToken);

    /// <summary>
    /// Queues a change for each user a group write affected: members added or removed, and every member when the
    /// group's displayName or externalId changed.
    /// </summary>
    private Task EnqueueAffectedAsync(
        DbConnection db, DbTransaction tx, Guid connectionId, string groupId, MemberDelta delta, bool renamed, CancellationToken cancellationToken) =>
        renamed || delta.Users.Count > 0
            ? _outbox.EnqueueUsersAsync(db, tx, connectionId, delta.Users.Values, renamed ? groupId : null, cancellationToken)
            : Task.CompletedTask;

    private async Task<int> ApplyMemberChangeAsync(
        DbConnection db, DbTransaction tx, Guid connectionId, string groupId, MemberChange change, MemberDelta delta, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case AddMembers add:
                return await AddMembersAsync(db, tx, connectionId, groupId, add.Members, delta, cancellationToken);
            case RemoveMembers remove:
                var removed = 0;
                foreach (var chunk in remove.Values.Chunk(Chunk))
                {
                    removed += delta.Record(await db.QueryAsync<MemberRow>(new CommandDefinition(
                        $"DELETE FROM group_members WHERE group_id = @groupId AND {database.Dialect.InList("member_id", "@chunk")} {_sql.MemberReturning}",
                        new { groupId, chunk }, tx, cancellationToken: cancellationToken)));
                }

                return removed;
            case RemoveMembersWhere where:
                var parameters = new SqlParameters();
                var predicate = FilterToSql.MemberWhere(where.Filter, database.Dialect, parameters);
                parameters.Values.Add("groupId", groupId);
                return delta.Record(await db.QueryAsync<MemberRow>(new CommandDefinition(
                    $"DELETE FROM group_members AS m WHERE m.group_id = @groupId AND {predicate} {_sql.MemberReturning}",
                    parameters.Values, tx, cancellationToken: cancellationToken)));
            case ReplaceMembers replace:
                // Diff against what is there, so re-sending the full list (Okta pushes, PUT) rewrites nothing.
                var existing = (await db.QueryAsync<string>(new CommandDefinition(
                    "SELECT member_id FROM group_members WHERE group_id = @groupId", new { groupId }, tx, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
                var wanted = replace.Members.Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                existing.ExceptWith(wanted);
                var changed = existing.Count == 0 ? 0 : await ApplyMemberChangeAsync(db, tx, connectionId, groupId, new RemoveMembers([.. existing]), delta, cancellationToken);
                return changed + await AddMembersAsync(db, tx, connectionId, groupId, replace.Members, delta, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown member change {change.GetType().Name}.");
        }
    }

    /// <summary>
    /// Adds members that exist in the same connection; re-adding a present member is a no-op (Entra re-sends
    /// every member on each change, bitwarden PatchGroupCommand). Returns the number of rows added.
    /// </summary>
    private async Task<int> AddMembersAsync(
        DbConnection db, DbTransaction tx, Guid connectionId, string groupId, IReadOnlyList<MemberRef> members, MemberDelta delta, CancellationToken cancellationToken)
    {
        var connection = connectionId.ToString();
        var added = 0;
        foreach (var chunk in members.Select(m => m.Value).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            if (chunk.Contains(groupId, StringComparer.Ordinal))
            {
                throw ScimException.InvalidValue("A group cannot be a member of itself.");
            }

            // Looked up by id alone (the unique index) and checked for the connection here: with connection_id in the
            // WHERE clause both planners preferred the connection's index for short id lists and walked every user of
            // the connection (SQLite: 40 ms per group POST at 100,000 users; PostgreSQL: a bitmap of them all).
            var candidates = await db.QueryAsync<(string Id, string Type, string ConnectionId)>(new CommandDefinition(
                $"""
                SELECT id, 'User', connection_id FROM users WHERE {database.Dialect.InList("id", "@chunk")}
                UNION ALL
                SELECT id, 'Group', connection_id FROM groups WHERE {database.Dialect.InList("id", "@chunk")}
                """,
                new { chunk }, tx, cancellationToken: cancellationToken));
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var candidate in candidates.Where(c => c.ConnectionId == connection))
            {
                types.TryAdd(candidate.Id, candidate.Type);
            }

            if (types.Count < chunk.Length)
            {
                var missing = chunk.First(id => !types.ContainsKey(id));
                throw ScimException.InvalidValue($"Member '{missing}' is not a User or Group of this connection.");
            }

            // One statement for the whole chunk, in request order; RETURNING names the members really added, so
            // re-sent ones neither count as a change nor queue work.
            added += delta.Record(await db.QueryAsync<MemberRow>(new CommandDefinition(
                _sql.InsertMembers,
                new { groupId, rows = MemberRows(chunk, types) },
                tx,
                cancellationToken: cancellationToken)));
        }

        return added;
    }

    private static string MemberRows(string[] ids, Dictionary<string, string> types)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(id);
                writer.WriteStringValue(types[id]);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>What a write reads of the row before changing it.</summary>
    private sealed record CurrentRow(long Version, string? DisplayName, string? ExternalId);

    /// <summary>A group_members row a statement added or removed, as <see cref="OutboxSql.MemberReturning"/> returns it.</summary>
    /// <remarks>Settable properties, not a positional record: Dapper matches a constructor by column types, and SQLite
    /// types a column by its first row's value (a group member's NULL emails read as a BLOB).</remarks>
    private sealed class MemberRow
    {
        public string Id { get; init; } = "";

        public string Type { get; init; } = "";

        public string? UserName { get; init; }

        public string? Emails { get; init; }
    }

    /// <summary>The users a group write added or removed (whose grants may change), with what their items carry.</summary>
    private sealed class MemberDelta(Guid connectionId)
    {
        public Dictionary<string, IdentityChange> Users { get; } = new(StringComparer.Ordinal);

        /// <summary>Notes the member rows a statement added or removed; returns how many there were.</summary>
        public int Record(IEnumerable<MemberRow> rows)
        {
            var count = 0;
            foreach (var row in rows)
            {
                count++;
                if (row.Type == "User")
                {
                    Users[row.Id] = IdentityOutbox.Change(connectionId, row.Id, row.UserName, row.Emails, deleted: false);
                }
            }

            return count;
        }
    }

    /// <summary>
    /// Adds group members (or a user's groups) to a page of records with one statement. The ids travel as one
    /// parameter (ISqlDialect.IdsParameter), so the SQL text never changes with the page size and its prepared form
    /// is reused.
    /// </summary>
    private async Task<IReadOnlyList<ResourceRecord>> WithRelationsAsync(IReadOnlyList<ResourceRecord> records, CancellationToken cancellationToken)
    {
        var kind = records[0].Kind;
        var byId = records.ToDictionary(r => r.Id, _ => new List<StoredMember>(), StringComparer.Ordinal);
        var ids = database.Dialect.IdsParameter(byId.Keys);
        var sql = kind == ScimResourceKind.Group ? GroupMembersSql(database.Dialect) : UserGroupsSql(database.Dialect);
        var relations = await database.QueryAsync(
            sql, [new("@p0", ids)], reader => (Owner: reader.GetString(0), Member: new StoredMember(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))),
            cancellationToken);
        foreach (var (owner, member) in relations)
        {
            byId[owner].Add(member);
        }

        return [.. records.Select(r => kind == ScimResourceKind.Group ? r with { Members = byId[r.Id] } : r with { Groups = byId[r.Id] })];
    }

    private static string GroupMembersSql(ISqlDialect dialect) => $"""
        SELECT m.group_id, m.member_id, m.member_type, COALESCE(u.display_name, u.user_name, g.display_name)
        FROM group_members m
        LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
        LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
        WHERE {dialect.InIds("m.group_id", "@p0")} ORDER BY {dialect.MemberInsertionOrder("m")}
        """;

    private static string UserGroupsSql(ISqlDialect dialect) => $"""
        SELECT m.member_id, m.group_id, 'Group', g.display_name
        FROM group_members m JOIN groups g ON g.id = m.group_id
        WHERE {dialect.InIds("m.member_id", "@p0")} ORDER BY {dialect.MemberInsertionOrder("m")}
        """;

    private static ScimException Duplicate(ScimResourceKind kind, JsonObject body) => kind == ScimResourceKind.User
        ? ScimException.Uniqueness($"userName '{(string?)body["userName"]}' is already in use in this connection.")
        : ScimException.Uniqueness($"displayName '{(string?)body["displayName"]}' is already in use in this connection.");

    private static string Table(ScimResourceKind kind) => kind == ScimResourceKind.User ? "users" : "groups";

    private string InsertSql(ScimResourceKind kind) => kind == ScimResourceKind.User
        ? $"""
          INSERT INTO users (id, connection_id, user_name, user_name_ci, external_id, display_name, active, body, version, created, last_modified)
          VALUES (@Id, @ConnectionId, @UserName, @UserNameFolded, @ExternalId, @DisplayName, @Active, {database.Dialect.JsonParameter("@Body")}, @Version, @Created, @LastModified)
          """
        : $"""
          INSERT INTO groups (id, connection_id, display_name, display_name_ci, external_id, body, version, created, last_modified)
          VALUES (@Id, @ConnectionId, @DisplayName, @DisplayNameFolded, @ExternalId, {database.Dialect.JsonParameter("@Body")}, @Version, @Created, @LastModified)
          """;

    private string UpdateSql(ScimResourceKind kind) => kind == ScimResourceKind.User
        ? $"""
          UPDATE users SET user_name = @UserName, user_name_ci = @UserNameFolded, external_id = @ExternalId, display_name = @DisplayName,
              active = @Active, body = {database.Dialect.JsonParameter("@body")}, version = version + 1, last_modified = @lastModified
          WHERE connection_id = @connectionId AND id = @id
          """
        : $"""
          UPDATE groups SET display_name = @DisplayName, display_name_ci = @DisplayNameFolded, external_id = @ExternalId,
              body = {database.Dialect.JsonParameter("@body")}, version = version + 1, last_modified = @lastModified
          WHERE connection_id = @connectionId AND id = @id
          """;

    private static object Columns(ResourceRecord record)
    {
        var columns = IndexedColumns.From(record.Kind, record.Body);
        return new
        {
            record.Id,
            ConnectionId = record.ConnectionId.ToString(),
            columns.UserName,
            columns.UserNameFolded,
            columns.ExternalId,
            columns.DisplayName,
            columns.DisplayNameFolded,
            columns.Active,
            Body = record.Body.ToJsonString(),
            record.Version,
            Created = ResourceRepresentation.FormatTime(record.Created),
            LastModified = ResourceRepresentation.FormatTime(record.LastModified),
        };
    }

    /// <summary>Reads the columns of <see cref="SelectColumns"/> into a record.</summary>
    private static class Row
    {
        public static ResourceRecord Read(System.Data.Common.DbDataReader reader, ScimResourceKind kind, Guid connectionId)
        {
            return new ResourceRecord(
                kind, reader.GetString(0), connectionId, JsonNode.Parse(reader.GetString(1))!.AsObject(), reader.GetInt64(2),
                ParseTime(reader.GetString(3)), ParseTime(reader.GetString(4)));
        }

        private static DateTimeOffset ParseTime(string text) =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
