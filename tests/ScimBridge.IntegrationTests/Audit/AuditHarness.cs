using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>What the audit tests share: a server with an operator token, raw SQL on its database (to tamper), and waits.</summary>
internal static class AuditHarness
{
    public const string AdminToken = "audit-test-admin-token-5f1c2e";

    public static Task<ScimServer> StartAsync(params string[] extraArgs) => ScimServer.StartAsync([$"--Admin:Token={AdminToken}", .. extraArgs]);

    public static HttpClient Admin(ScimServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public static IAuditLog Log(ScimServer server) => server.Services.GetRequiredService<IAuditLog>();

    public static IAuditStore Store(ScimServer server) => server.Services.GetRequiredService<IAuditStore>();

    public static async Task<AuditVerification> VerifyAsync(ScimServer server)
    {
        var store = Store(server);
        var anchor = await store.GetAnchorAsync(CancellationToken.None);
        return await AuditVerifier.VerifyAsync(anchor, store.ReadAsync(new AuditQuery(), anchor.BaseSequence, CancellationToken.None), CancellationToken.None);
    }

    /// <summary>An event of a given kind, time and resource, for tests that need many distinct ones.</summary>
    public static AuditEvent Event(int i, string kind = AuditKinds.OperatorAction, DateTimeOffset occurred = default, string? target = null, string? resourceId = null) =>
        new(occurred, kind, kind == AuditKinds.OperatorAction ? "alice" : null, kind == AuditKinds.ScimRequest ? "entra-prod" : null, target,
            "thing", resourceId ?? $"id-{i}", "test", i % 5 == 0 ? "failure" : "success", $"req-{i}", $$"""{"i":{{i}}}""");

    /// <summary>Runs SQL straight on the server's database, behind ScimBridge's back: how an attacker with DB access tampers.</summary>
    public static Task<int> ExecuteAsync(ScimServer server, string sql) => ExecuteAsync(server.ConnectionString, server.DataDirectory, sql);

    public static Task<int> ExecuteAsync(TestStorage storage, string sql) => ExecuteAsync(storage.ConnectionString, storage.DataDirectory, sql);

    private static async Task<int> ExecuteAsync(string? connectionString, string dataDirectory, string sql)
    {
        if (connectionString is { } postgres)
        {
            await using var pg = new NpgsqlConnection(postgres);
            await pg.OpenAsync();
            await using var command = new NpgsqlCommand(sql, pg);
            return await command.ExecuteNonQueryAsync();
        }

        await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, PersistenceRegistration.DatabaseFileName)};Pooling=False");
        await sqlite.OpenAsync();
        await using var sqliteCommand = sqlite.CreateCommand();
        sqliteCommand.CommandText = sql;
        return await sqliteCommand.ExecuteNonQueryAsync();
    }

    /// <summary>Every cell of every audit row as text, for "no secret anywhere" checks.</summary>
    public static async Task<string> DumpTableAsync(ScimServer server)
    {
        const string Sql = "SELECT * FROM audit_events ORDER BY seq";
        var text = new System.Text.StringBuilder();
        System.Data.Common.DbConnection connection = server.ConnectionString is { } postgres
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, PersistenceRegistration.DatabaseFileName)};Pooling=False");
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>Polls the query until it returns at least <paramref name="count"/> events (reads are committed in the background).</summary>
    public static async Task<IReadOnlyList<AuditRecord>> WaitForAsync(ScimServer server, AuditQuery query, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await Store(server).QueryAsync(query with { Limit = AuditQuery.MaxLimit }, CancellationToken.None);
            if (page.Events.Count >= count)
            {
                return page.Events;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} audit events for {query}, found {page.Events.Count}.");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
