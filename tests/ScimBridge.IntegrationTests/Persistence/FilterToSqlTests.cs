using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Persistence.Sql;
using ScimBridge.Persistence.Sqlite;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// The filter compiler against a real SQLite file: values only ever travel as parameters, and the filters IdPs send
/// on every sync are answered from indexes (EXPLAIN QUERY PLAN), never by scanning a connection's rows.
/// </summary>
[Trait("Category", "SqliteOnly")]
public sealed class FilterToSqlTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scimbridge-sql-").FullName;
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_folder, "test.db"), NullLogger<SqliteDatabase>.Instance);
        await _database.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("userName eq \"x' OR 1=1 --\"")]
    [InlineData("emails[type eq \"work\" and value ew \"'); DROP TABLE users; --\"]")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co \"\\\"quoted\\\"\"")]
    [InlineData("name.familyName sw \"O'Malley\" or not (title pr)")]
    public void Where_PutsEveryValueInAParameter(string filter)
    {
        var parameters = new SqlParameters();
        var sql = FilterToSql.Where(FilterParser.Parse(filter), SchemaRegistry.Instance.User, SqliteDialect.Instance, parameters);
        Assert.DoesNotContain("'", sql.Replace("''", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("DROP", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Malley", sql, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(parameters.Values.ParameterNames);
    }

    [Theory]
    [InlineData(ScimResourceKind.User, "userName eq \"Ford@X.uk\"", "ux_users_user_name")]
    [InlineData(ScimResourceKind.User, "externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"", "ix_users_external_id")]
    [InlineData(ScimResourceKind.User, "id eq \"abc\" and manager eq \"m\"", "sqlite_autoindex_users_1")]
    [InlineData(ScimResourceKind.Group, "displayName eq \"Engineering\"", "ux_groups_display_name")]
    [InlineData(ScimResourceKind.Group, "externalId eq \"g-1\"", "ix_groups_external_id")]
    public async Task Where_IdpLookups_UseAnIndex(ScimResourceKind kind, string filter, string index)
    {
        var plan = await PlanAsync(kind, filter);
        Assert.Contains(index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_MembersValue_StartsFromTheMemberIndex()
    {
        var plan = await PlanAsync(ScimResourceKind.Group, "members.value eq \"u1\"");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(plan, "SEARCH m USING (COVERING )?INDEX ix_group_members_member"), plan);
        Assert.DoesNotContain("CORRELATED", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_UserGroupsValue_StartsFromTheGroupKey()
    {
        var plan = await PlanAsync(ScimResourceKind.User, "groups.value eq \"g1\"");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(plan, "SEARCH gm USING (COVERING )?INDEX sqlite_autoindex_group_members_1"), plan);
        Assert.DoesNotContain("CORRELATED", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nosuchattribute eq \"x\"")]
    [InlineData("active gt true")]
    [InlineData("meta.lastModified gt \"not a date\"")]
    [InlineData("name eq \"x\"")]
    [InlineData("members.$ref eq \"x\"")]
    public void Where_FilterItCannotServe_IsInvalidFilter(string filter)
    {
        var schema = filter.StartsWith("members", StringComparison.Ordinal) ? SchemaRegistry.Instance.Group : SchemaRegistry.Instance.User;
        var error = Assert.Throws<ScimException>(() => FilterToSql.Where(FilterParser.Parse(filter), schema, SqliteDialect.Instance, new SqlParameters()));
        Assert.Equal(ScimType.InvalidFilter, error.ScimType);
    }

    private async Task<string> PlanAsync(ScimResourceKind kind, string filter)
    {
        var parameters = new SqlParameters();
        var schema = SchemaRegistry.Instance.For(kind);
        var where = FilterToSql.Where(FilterParser.Parse(filter), schema, SqliteDialect.Instance, parameters);
        var connection = parameters.Add(Guid.NewGuid().ToString());
        var table = kind == ScimResourceKind.User ? "users" : "groups";
        await using var session = await _database.RentSessionAsync(CancellationToken.None);
        var db = session.Connection;
        var rows = await db.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            $"EXPLAIN QUERY PLAN SELECT r.id FROM {table} r WHERE r.connection_id = {connection} AND {where}", parameters.Values);
        return string.Join("\n", rows.Select(r => r.Detail));
    }
}
