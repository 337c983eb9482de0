using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dapper;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Resources;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Outbox;

/// <summary>
/// Queues <see cref="IdentityChange"/> work items on the caller's write transaction (docs/decisions/0009-outbox.md), so
/// an item exists exactly when the SCIM change that caused it committed. A pending item about the same user that no
/// worker has claimed yet takes the new payload instead of being joined by a second item.
/// </summary>
internal sealed class IdentityOutbox(ISqlDialect dialect, TimeProvider clock)
{
    private readonly OutboxSql _sql = OutboxSql.For(dialect);

    /// <summary>A user's change from its body (create, replace, patch).</summary>
    public static IdentityChange Change(Guid connectionId, string userId, JsonObject body, bool deleted) =>
        Change(connectionId, userId, body["userName"] is JsonValue name && name.TryGetValue<string>(out var userName) ? userName : null, body, deleted);

    /// <summary>A user's change from its userName and the JSON text of its emails array, as <see cref="OutboxSql.Emails"/> yields it.</summary>
    public static IdentityChange Change(Guid connectionId, string userId, string? userName, string? emailsJson, bool deleted) =>
        Change(connectionId, userId, userName, new JsonObject { ["emails"] = emailsJson is null ? null : JsonNode.Parse(emailsJson) }, deleted);

    /// <summary>
    /// Adds one change's parameters (kind, key, payload, now) to <paramref name="parameters"/> and returns the statement
    /// that queues it, for the caller to send in the same command as its own write: one round trip on PostgreSQL.
    /// </summary>
    public string AppendOne(DynamicParameters parameters, IdentityChange change)
    {
        parameters.AddDynamicParams(new
        {
            kind = IdentityChange.WorkKind,
            key = IdentityChange.KeyOf(change.ConnectionId, change.UserId),
            payload = JsonSerializer.Serialize(change, OutboxJsonContext.Default.IdentityChange),
            now = Now(),
        });
        return _sql.EnqueueOne;
    }

    /// <summary>Queues one user's change.</summary>
    public Task EnqueueAsync(DbConnection db, DbTransaction tx, IdentityChange change, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        return db.ExecuteAsync(new CommandDefinition(AppendOne(parameters, change), parameters, tx, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Queues a change for each user a group write affected: <paramref name="known"/> (members added or removed, read
    /// by the statement that did it) and, when <paramref name="allMembersOf"/> is set, every user member of that group
    /// (a rename, a delete), read here in this transaction. One statement queues them all, whatever their number.
    /// </summary>
    public async Task EnqueueUsersAsync(
        DbConnection db, DbTransaction tx, Guid connectionId, IEnumerable<IdentityChange> known, string? allMembersOf, CancellationToken cancellationToken)
    {
        var changes = known.ToDictionary(c => c.UserId, StringComparer.Ordinal);
        if (allMembersOf is not null)
        {
            var members = await db.QueryAsync<(string Id, string UserName, string? Emails)>(new CommandDefinition(
                $"""
                SELECT u.id, u.user_name, {_sql.Emails("u.body")}
                FROM group_members m JOIN users u ON u.id = m.member_id
                WHERE m.group_id = @groupId AND m.member_type = 'User'
                """,
                new { groupId = allMembersOf }, tx, cancellationToken: cancellationToken));
            foreach (var (id, userName, emails) in members)
            {
                changes[id] = Change(connectionId, id, userName, emails, deleted: false);
            }
        }

        switch (changes.Count)
        {
            case 0:
                return;
            case 1:
                await EnqueueAsync(db, tx, changes.Values.First(), cancellationToken);
                return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var change in changes.Values)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(IdentityChange.KeyOf(change.ConnectionId, change.UserId));
                JsonSerializer.Serialize(writer, change, OutboxJsonContext.Default.IdentityChange);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        await db.ExecuteAsync(new CommandDefinition(
            _sql.Enqueue,
            new { kind = IdentityChange.WorkKind, rows = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), now = Now() },
            tx,
            cancellationToken: cancellationToken));
    }

    // The reconciler finds platform accounts, and leavers, by these emails: they follow its own rule.
    private static IdentityChange Change(Guid connectionId, string userId, string? userName, JsonObject body, bool deleted) =>
        new(connectionId, userId, IdentitySource.Emails(body, userName ?? ""), deleted);

    private string Now() => ResourceRepresentation.FormatTime(clock.GetUtcNow());
}

/// <summary>The payload's JSON: camelCase, as the worker reads it (JsonSerializerDefaults.Web).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentityChange))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
