using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence;
using Xunit.Abstractions;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// The outbox on a 50,000-member group: adding 1,000 members queues 1,000 items in a few statements, not a round
/// trip each, and a rename queues every member. Users and memberships are seeded in SQL (HTTP would take most of
/// the test's time); the writes under test go through SCIM.
/// </summary>
public sealed class OutboxScaleTests(ITestOutputHelper output)
{
    private const int Members = 50_000;
    private const int Added = 1_000;

    [Fact]
    public async Task BigGroup_Add1000Members_QueuesAnItemEach_AndARenameQueuesEveryMember()
    {
        await using var server = await ScimServer.StartAsync();
        using var tenant = await OutboxTests.ConnectAsync(server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var prefix = $"seed-{Guid.NewGuid():N}-";
        var group = (string)(await client.CreateGroupAsync("big"))["id"]!;
        await SeedAsync(server, connection, group, prefix);

        // Warm-up (the first member PATCH of a fresh server pays for JIT and cold caches): one more member.
        await OutboxTests.PatchGroupAsync(client, group, $$"""{"op":"add","path":"members","value":[{"value":"{{prefix}}{{Members + Added + 1}}"}]}""");
        await OutboxTests.MarkDoneAsync(server, connection);

        var add = new JsonArray([.. Enumerable.Range(Members + 1, Added).Select(i => (JsonNode)new JsonObject { ["value"] = prefix + i })]);
        var timer = Stopwatch.StartNew();
        await OutboxTests.PatchGroupAsync(client, group, new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = add }.ToJsonString());
        var addTime = timer.Elapsed;

        var pending = await OutboxTests.PendingAsync(server, connection);
        Assert.Equal(Added, pending.Count);
        var sample = pending.Single(i => i.Change.UserId == prefix + (Members + 7));
        Assert.Equal([$"seed{Members + 7}@work.example.com", $"seed{Members + 7}@example.com"], sample.Change.Emails);

        timer.Restart();
        await OutboxTests.PatchGroupAsync(client, group, """{"op":"replace","path":"displayName","value":"big, renamed"}""");
        var renameTime = timer.Elapsed;

        // The 1,000 pending items took the rename's payload; the other 50,001 members got one each.
        Assert.Equal(Members + Added + 1, (await OutboxTests.PendingAsync(server, connection)).Count);
        output.WriteLine($"{ScimServer.Backend}: adding {Added} members to {Members}: {addTime.TotalMilliseconds:F0} ms; renaming ({Members + Added + 1} items): {renameTime.TotalMilliseconds:F0} ms");
        // The timings are printed for a reader, never asserted: speed is proved by bench/ (docs/performance.md).
    }

    private static Task<int> SeedAsync(ScimServer server, Guid connection, string group, string prefix)
    {
        var postgres = ScimServer.Backend == TestStorage.Postgres;
        var numbers = postgres
            ? "SELECT i FROM generate_series(1, @total) AS i"
            : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @total) SELECT i FROM n";
        var body = postgres
            ? "jsonb_build_object('userName', 'Seed' || i || '@Example.com', 'emails', jsonb_build_array(jsonb_build_object('value', 'Seed' || i || '@Work.Example.com', 'primary', true)))"
            : "json_object('userName', 'Seed' || i || '@Example.com', 'emails', json_array(json_object('value', 'Seed' || i || '@Work.Example.com', 'primary', json('true'))))";
        return server.Services.GetRequiredService<IStoreDatabase>().WriteAsync(
            async (db, tx) =>
            {
                await db.ExecuteAsync(
                    $"""
                    INSERT INTO users (id, connection_id, user_name, user_name_ci, external_id, display_name, active, body, version, created, last_modified)
                    SELECT @prefix || i, @connection, 'Seed' || i || '@Example.com', 'seed' || i || '@example.com', NULL, NULL, true, {body}, 1, @now, @now
                    FROM ({numbers}) AS numbers
                    """,
                    new { prefix, connection = connection.ToString(), total = Members + Added + 1, now = "2026-01-01T00:00:00.0000000Z" },
                    tx);
                await db.ExecuteAsync(
                    $"INSERT INTO group_members (group_id, member_id, member_type) SELECT @group, @prefix || i, 'User' FROM ({numbers}) AS numbers",
                    new { group, prefix, total = Members },
                    tx);
                return 0;
            },
            CancellationToken.None);
    }
}
