using ScimBridge.Persistence.Postgres;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Outbox;

/// <summary>
/// The statements of the identity outbox and of batched member inserts that differ between PostgreSQL and SQLite.
/// Rows travel as ONE JSON array parameter (<c>[[key, payload], …]</c> or <c>[[id, type], …]</c>), so the SQL text is
/// the same for one row or a thousand, stays prepared, and a thousand rows cost one round trip.
/// </summary>
internal sealed class OutboxSql
{
    private readonly Func<string, string> _emails;

    private OutboxSql(string enqueueOne, string enqueue, string insertMembers, Func<string, string> emails)
    {
        _emails = emails;
        EnqueueOne = enqueueOne;
        Enqueue = enqueue;

        // The user's emails come back with each member row, so the items of the users a statement added or removed
        // need no second read. Unqualified member_id and member_type: SQLite's RETURNING refuses a table alias.
        MemberReturning = $"""
            RETURNING member_id AS Id, member_type AS Type,
                (SELECT u.user_name FROM users u WHERE member_type = 'User' AND u.id = member_id) AS UserName,
                (SELECT {emails("u.body")} FROM users u WHERE member_type = 'User' AND u.id = member_id) AS Emails
            """;
        InsertMembers = insertMembers + "\n" + MemberReturning;
    }

    /// <summary>
    /// <see cref="Enqueue"/> for one item (a user's own write, the hot path): parameters kind, key, payload, now. Plain
    /// VALUES, so nothing builds or parses a JSON array for a single row.
    /// </summary>
    public string EnqueueOne { get; }

    /// <summary>
    /// Queues mergeable items; parameters kind, rows (<c>[[key, payloadObject], …]</c>, keys distinct), now. A pending
    /// item with the same kind and key that no worker has claimed yet takes the new payload instead (the unique
    /// partial index ux_work_items_merge, migration 003).
    /// </summary>
    public string Enqueue { get; }

    /// <summary>
    /// Adds members to a group in request order, skipping present ones; parameters groupId, rows (<c>[[id, type], …]</c>).
    /// Returns the rows actually added (a conflict that did nothing returns nothing), as <see cref="MemberReturning"/>.
    /// </summary>
    public string InsertMembers { get; }

    /// <summary>
    /// The RETURNING clause of a statement that adds or removes group_members rows: Id, Type, and for a user its
    /// UserName and Emails (as <see cref="Emails"/>).
    /// </summary>
    public string MemberReturning { get; }

    /// <summary>The emails array in a users body column, as JSON text; NULL when the body has no array there.</summary>
    /// <param name="body">The column, qualified or not: SQLite's RETURNING refuses a table alias.</param>
    public string Emails(string body) => _emails(body);

    public static OutboxSql For(ISqlDialect dialect) => dialect is PostgresDialect ? Postgres : Sqlite;

    // ORDER BY key: every transaction takes the merge index's keys in the same order, so two group writes fanning out
    // to overlapping users wait for one another instead of deadlocking.
    private static OutboxSql Postgres { get; } = new(
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated, mergeable)
        VALUES (@kind, @key, CAST(@payload AS jsonb), 'pending', 0, @now, @now, @now, true)
        ON CONFLICT (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable
        DO UPDATE SET payload = EXCLUDED.payload, updated = EXCLUDED.updated
        """,
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated, mergeable)
        SELECT @kind, r.value ->> 0, r.value -> 1, 'pending', 0, @now, @now, @now, true
        FROM jsonb_array_elements(CAST(@rows AS jsonb)) AS r(value)
        ORDER BY 2
        ON CONFLICT (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable
        DO UPDATE SET payload = EXCLUDED.payload, updated = EXCLUDED.updated
        """,
        """
        INSERT INTO group_members (group_id, member_id, member_type)
        SELECT @groupId, r.value ->> 0, r.value ->> 1
        FROM jsonb_array_elements(CAST(@rows AS jsonb)) WITH ORDINALITY AS r(value, n)
        ORDER BY r.n
        ON CONFLICT DO NOTHING
        """,
        body => $"CASE WHEN jsonb_typeof({body} -> 'emails') = 'array' THEN ({body} -> 'emails')::text END");

    // WHERE true: SQLite's documented fix for the parsing ambiguity between an upsert's ON and a join's ON after
    // INSERT … SELECT … FROM (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity"). One writer at a time, so no
    // lock order to keep.
    private static OutboxSql Sqlite { get; } = new(
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated, mergeable)
        VALUES (@kind, @key, @payload, 'pending', 0, @now, @now, @now, 1)
        ON CONFLICT (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable = 1
        DO UPDATE SET payload = excluded.payload, updated = excluded.updated
        """,
        """
        INSERT INTO work_items (kind, key, payload, state, attempts, not_before, created, updated, mergeable)
        SELECT @kind, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), 'pending', 0, @now, @now, @now, 1
        FROM json_each(@rows) AS r
        WHERE true
        ON CONFLICT (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable = 1
        DO UPDATE SET payload = excluded.payload, updated = excluded.updated
        """,
        """
        INSERT INTO group_members (group_id, member_id, member_type)
        SELECT @groupId, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]')
        FROM json_each(@rows) AS r
        WHERE true
        ORDER BY r.key
        ON CONFLICT DO NOTHING
        """,
        body => $"CASE WHEN json_type({body}, '$.emails') = 'array' THEN json_extract({body}, '$.emails') END");
}
