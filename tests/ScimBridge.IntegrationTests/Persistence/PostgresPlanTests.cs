using Npgsql;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence.Postgres;
using ScimBridge.Persistence.Sql;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// On PostgreSQL, the filters IdPs send on every sync are answered from indexes. Plans of empty tables say nothing, so
/// the test loads a connection's worth of rows (5,000 users, 2,000 groups, 10,000 memberships), runs ANALYZE, and
/// reads the plan the planner really chooses.
/// </summary>
[Trait("Category", "PostgresOnly")]
public sealed class PostgresPlanTests
{
    [Theory]
    [InlineData(ScimResourceKind.User, "userName eq \"Ford@X.uk\"", "ux_users_user_name")]
    [InlineData(ScimResourceKind.User, "externalId eq \"0a21f0f2\"", "ix_users_external_id")]
    [InlineData(ScimResourceKind.Group, "displayName eq \"Engineering\"", "ux_groups_display_name")]
    [InlineData(ScimResourceKind.Group, "members.value eq \"u1\"", "ix_group_members_member")]
    public async Task Where_IdpLookups_UseAnIndex(ScimResourceKind kind, string filter, string index)
    {
        await using var server = await ScimServer.StartAsync();
        Assert.NotNull(server.ConnectionString);

        const string ConnectionId = "c0ffee00-0000-0000-0000-000000000001";
        await using var db = new NpgsqlConnection(server.ConnectionString);
        await db.OpenAsync();
        await using (var load = new NpgsqlCommand(
            """
            INSERT INTO users (id, connection_id, user_name, user_name_ci, external_id, display_name, active, body, version, created, last_modified)
            SELECT 'u' || g, @c, 'User' || g, 'user' || g, 'ext' || g, 'User ' || g, true, '{}'::jsonb, 1, 't', 't' FROM generate_series(1, 5000) g;
            INSERT INTO groups (id, connection_id, display_name, display_name_ci, external_id, body, version, created, last_modified)
            SELECT 'g' || g, @c, 'Group ' || g, 'group ' || g, 'gext' || g, '{}'::jsonb, 1, 't', 't' FROM generate_series(1, 2000) g;
            INSERT INTO group_members (group_id, member_id, member_type)
            SELECT 'g' || (g % 2000 + 1), 'u' || g % 5000 + 1, 'User' FROM generate_series(1, 10000) g ON CONFLICT DO NOTHING;
            ANALYZE;
            """, db))
        {
            load.Parameters.AddWithValue("c", ConnectionId);
            await load.ExecuteNonQueryAsync();
        }

        var parameters = new SqlParameters();
        var connection = parameters.Add(ConnectionId);
        var where = FilterToSql.Where(FilterParser.Parse(filter), SchemaRegistry.Instance.For(kind), PostgresDialect.Instance, parameters);
        var table = kind == ScimResourceKind.User ? "users" : "groups";

        await using var explain = new NpgsqlCommand($"EXPLAIN SELECT r.id FROM {table} r WHERE r.connection_id = {connection} AND {where}", db);
        foreach (var (name, value) in parameters.List)
        {
            explain.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ix_users_connection_seq", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ix_groups_connection_seq", text, StringComparison.Ordinal);
    }
}
