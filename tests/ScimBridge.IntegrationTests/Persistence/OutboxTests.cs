using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Reconciliation;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// The outbox (docs/decisions/0009-outbox.md): real SCIM requests, then the work_items they left behind. Each test
/// speaks for a connection of its own, and reads only the items keyed by that connection.
/// </summary>
public sealed class OutboxTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task PostUser_QueuesOneItemWithTheUsersEmails()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var user = await client.CreateUserAsync("Ada.Lovelace@Example.com", new JsonObject
        {
            ["emails"] = new JsonArray(
                new JsonObject { ["value"] = "ADA@example.com", ["type"] = "home" },
                new JsonObject { ["value"] = "ada.work@Example.com", ["type"] = "work", ["primary"] = true },
                new JsonObject { ["value"] = "ada@EXAMPLE.com", ["type"] = "other" }),
        });
        var id = (string)user["id"]!;

        var item = Assert.Single(await ItemsAsync(_server, connection));
        Assert.Equal((IdentityChange.WorkKind, IdentityChange.KeyOf(connection, id), "pending", 0L), (item.Kind, item.Key, item.State, item.Attempts));
        var change = item.Change;
        Assert.Equal((connection, id, false), (change.ConnectionId, change.UserId, change.Deleted));

        // Primary first, lower-cased, distinct, then the email-shaped userName: the reconciler's own rule.
        Assert.Equal(["ada.work@example.com", "ada@example.com", "ada.lovelace@example.com"], change.Emails);
    }

    [Fact]
    public async Task ThreePatchesOfOneUser_CoalesceIntoOnePendingItem_WithTheLastEmails()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("grace"))["id"]!;

        foreach (var email in new[] { "one@example.com", "two@example.com", "Three@Example.com" })
        {
            await PatchEmailAsync(client, id, email);
        }

        var item = Assert.Single(await ItemsAsync(_server, connection));
        Assert.Equal(("pending", 0L), (item.State, item.Attempts));
        Assert.Equal(["three@example.com"], item.Change.Emails);
    }

    [Fact]
    public async Task PatchWhileTheItemIsLeased_AddsASecondItem_AndLaterPatchesMergeIntoThatOne()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("hopper@example.com"))["id"]!;
        var queue = _server.Services.GetRequiredService<IWorkQueue>();
        var claimed = await ClaimOwnAsync(queue, connection);
        var leased = Assert.Single(claimed);

        await PatchEmailAsync(client, id, "first@example.com");
        await PatchEmailAsync(client, id, "second@example.com");

        var items = await ItemsAsync(_server, connection);
        Assert.Equal(2, items.Count);
        Assert.Equal((leased.Id, 1L), (items[0].Id, items[0].Attempts));
        Assert.Equal(["hopper@example.com"], items[0].Change.Emails);
        Assert.Equal((0L, (string?)null), (items[1].Attempts, items[1].LeaseOwner));
        Assert.Equal(["second@example.com", "hopper@example.com"], items[1].Change.Emails);

        // The running work finishing does not swallow the change that arrived while it ran.
        Assert.True(await queue.CompleteAsync(leased, CancellationToken.None));
        var after = await ItemsAsync(_server, connection);
        Assert.Equal(["done", "pending"], after.Select(i => i.State));
    }

    [Fact]
    public async Task ItemReleasedForARetry_IsNotMergedInto()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("retry@example.com"))["id"]!;
        var queue = _server.Services.GetRequiredService<IWorkQueue>();
        var leased = Assert.Single(await ClaimOwnAsync(queue, connection));
        var later = _server.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(10);
        Assert.True(await queue.FailAsync(leased, "platform unavailable", later, CancellationToken.None));

        // The released item waits for its retry time; a new change must not wait with it (nor collide with it in the
        // merge index when a later retry releases it again).
        await PatchEmailAsync(client, id, "new@example.com");

        var items = await ItemsAsync(_server, connection);
        Assert.Equal(2, items.Count);
        Assert.Equal((1L, "pending"), (items[0].Attempts, items[0].State));
        Assert.Equal(0L, items[1].Attempts);
        Assert.Equal(["new@example.com", "retry@example.com"], items[1].Change.Emails);
    }

    [Fact]
    public async Task DeleteUser_QueuesTheDeletedUsersEmails_AndDeletedTrue()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("leaver", new JsonObject
        {
            ["emails"] = new JsonArray(new JsonObject { ["value"] = "Leaver@Example.com", ["primary"] = true }),
        }))["id"]!;
        await MarkDoneAsync(_server, connection);

        var (response, _) = await client.SendAsync(HttpMethod.Delete, $"Users/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var item = Assert.Single(await PendingAsync(_server, connection));
        Assert.Equal((id, true), (item.Change.UserId, item.Change.Deleted));
        Assert.Equal(["leaver@example.com"], item.Change.Emails);
    }

    [Fact]
    public async Task DeleteUser_WhileItsCreateIsStillPending_LeavesOneItemSayingDeleted()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("brief@example.com"))["id"]!;

        await client.SendAsync(HttpMethod.Delete, $"Users/{id}");

        var item = Assert.Single(await ItemsAsync(_server, connection));
        Assert.True(item.Change.Deleted);
        Assert.Equal(["brief@example.com"], item.Change.Emails);
    }

    [Fact]
    public async Task GroupMemberAddAndRemove_QueueOneItemPerAffectedUser()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, "a@example.com", "b@example.com", "c@example.com");
        await MarkDoneAsync(_server, connection);
        var group = (string)(await client.CreateGroupAsync("members", ids[0]))["id"]!;
        Assert.Equal(ids[0], Assert.Single(await PendingAsync(_server, connection)).Change.UserId);
        await MarkDoneAsync(_server, connection);

        // Add b and c, re-add a (already a member: Entra re-sends everyone): b and c are affected, a is not.
        await PatchGroupAsync(client, group, $$"""{"op":"add","path":"members","value":[{"value":"{{ids[0]}}"},{"value":"{{ids[1]}}"},{"value":"{{ids[2]}}"}]}""");
        Assert.Equal(Sorted(ids[1], ids[2]), Sorted([.. (await PendingAsync(_server, connection)).Select(i => i.Change.UserId)]));
        Assert.All(await PendingAsync(_server, connection), i => Assert.False(i.Change.Deleted));
        await MarkDoneAsync(_server, connection);

        await PatchGroupAsync(client, group, $$"""{"op":"remove","path":"members[value eq \"{{ids[1]}}\"]"}""");
        var removed = Assert.Single(await PendingAsync(_server, connection));
        Assert.Equal(ids[1], removed.Change.UserId);
        Assert.Equal(["b@example.com"], removed.Change.Emails);
        await MarkDoneAsync(_server, connection);

        // Removing someone who is not a member changes nothing and queues nothing.
        await PatchGroupAsync(client, group, $$"""{"op":"remove","path":"members[value eq \"{{ids[1]}}\"]"}""");
        Assert.Empty(await PendingAsync(_server, connection));
    }

    [Fact]
    public async Task PutGroup_QueuesTheMembersItAddsAndRemoves_NotThoseItKeeps()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, "keep@example.com", "drop@example.com", "join@example.com");
        var group = (string)(await client.CreateGroupAsync("put-members", ids[0], ids[1]))["id"]!;
        await MarkDoneAsync(_server, connection);

        var (response, _) = await client.SendAsync(HttpMethod.Put, $"Groups/{group}", JsonNode.Parse($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"put-members",
             "members":[{"value":"{{ids[0]}}"},{"value":"{{ids[2]}}"}]}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(Sorted(ids[1], ids[2]), Sorted([.. (await PendingAsync(_server, connection)).Select(i => i.Change.UserId)]));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"displayName","value":"renamed"}""")]
    [InlineData("""{"op":"replace","path":"externalId","value":"entra-object-id"}""")]
    public async Task GroupDisplayNameOrExternalIdChange_QueuesEveryMember(string operation)
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, "m1@example.com", "m2@example.com", "m3@example.com");
        var group = (string)(await client.CreateGroupAsync("policy-group", [.. ids]))["id"]!;
        await client.CreateGroupAsync("nested-parent", group);
        await MarkDoneAsync(_server, connection);

        await PatchGroupAsync(client, group, operation);

        // Policies match groups by displayName and externalId: every member's grants may change. Only users: a
        // member group's own members are matched by their direct groups, which did not change.
        Assert.Equal(Sorted([.. ids]), Sorted([.. (await PendingAsync(_server, connection)).Select(i => i.Change.UserId)]));
    }

    [Fact]
    public async Task DeleteGroup_QueuesEveryMember()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, "x1@example.com", "x2@example.com");
        var group = (string)(await client.CreateGroupAsync("to-delete", [.. ids]))["id"]!;
        await MarkDoneAsync(_server, connection);

        var (response, _) = await client.SendAsync(HttpMethod.Delete, $"Groups/{group}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var pending = await PendingAsync(_server, connection);
        Assert.Equal(Sorted([.. ids]), Sorted([.. pending.Select(i => i.Change.UserId)]));
        Assert.All(pending, i => Assert.False(i.Change.Deleted));
    }

    [Fact]
    public async Task EmailsReadBackFromTheDatabase_MatchTheRuleAppliedToTheRequestBody()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("Mixed.Case@Example.COM", new JsonObject
        {
            ["emails"] = new JsonArray(
                new JsonObject { ["value"] = "Second@Example.com" },
                new JsonObject { ["value"] = "" },
                new JsonObject { ["value"] = "Prime@Example.com", ["primary"] = true },
                new JsonObject { ["value"] = "second@example.COM", ["primary"] = false },
                new JsonObject { ["value"] = "mixed.case@example.com" }),
        }))["id"]!;
        var fromBody = Assert.Single(await PendingAsync(_server, connection)).Change.Emails;
        await MarkDoneAsync(_server, connection);

        // A group add reads the emails out of the stored body in SQL; a delete reads them with RETURNING.
        await client.CreateGroupAsync("reads-emails", id);
        var fromMembers = Assert.Single(await PendingAsync(_server, connection)).Change.Emails;
        await MarkDoneAsync(_server, connection);
        await client.SendAsync(HttpMethod.Delete, $"Users/{id}");
        var fromDelete = Assert.Single(await PendingAsync(_server, connection)).Change.Emails;

        Assert.Equal(["prime@example.com", "second@example.com", "mixed.case@example.com"], fromBody);
        Assert.Equal(fromBody, fromMembers);
        Assert.Equal(fromBody, fromDelete);
    }

    [Fact]
    public async Task FailedWrites_QueueNothing()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, "taken@example.com", "other@example.com");
        var group = (string)(await client.CreateGroupAsync("failing", ids[0]))["id"]!;
        await MarkDoneAsync(_server, connection);

        // 409: duplicate userName on POST and on PATCH.
        var (post, postBody) = await client.SendAsync(HttpMethod.Post, "Users", JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"TAKEN@example.com"}"""));
        ScimHttp.AssertScimError(post, postBody, 409, "uniqueness");
        var (patch, patchBody) = await client.SendAsync(HttpMethod.Patch, $"Users/{ids[1]}", JsonNode.Parse(
            """{"Operations":[{"op":"replace","path":"userName","value":"taken@example.com"}]}"""));
        ScimHttp.AssertScimError(patch, patchBody, 409, "uniqueness");

        // 412: a stale If-Match, on a user and on a group member add.
        foreach (var (path, body) in new[]
        {
            ($"Users/{ids[1]}", """{"Operations":[{"op":"replace","path":"displayName","value":"x"}]}"""),
            ($"Groups/{group}", $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{ids[1]}}"}]}]}"""),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = ScimHttp.Json(body) };
            request.Headers.TryAddWithoutValidation("If-Match", "W/\"999\"");
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(request)).StatusCode);
        }

        // 404 and a member that does not exist (400: the whole PATCH fails, the valid member included).
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Delete, "Users/no-such-user")).Response.StatusCode);
        var (bad, _) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse(
            $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{ids[1]}}"},{"value":"no-such-user"}]}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        Assert.Empty(await PendingAsync(_server, connection));
    }

    [Fact]
    public async Task ItemAndWrite_CommitTogether_AFailingEnqueueUndoesTheWrite()
    {
        // A server of its own: the trigger below refuses some outbox rows for the whole database.
        await using var server = await ScimServer.StartAsync();
        using var tenant = await ConnectAsync(server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        await RefuseOutboxRowsMentioningAsync(server, "poison");
        var member = (string)(await client.CreateUserAsync("member@example.com"))["id"]!;

        // The user insert succeeds, its item is refused: the request fails and the user is not there.
        var (post, _) = await client.SendAsync(HttpMethod.Post, "Users", JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"poison@example.com"}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
        var (_, found) = await client.SendAsync(HttpMethod.Get, "Users?filter=userName%20eq%20%22poison@example.com%22");
        Assert.Equal(0, (int)found!["totalResults"]!);

        // The same for a PATCH: the new email would be queued, so the PATCH does not happen.
        var (patch, _) = await client.SendAsync(HttpMethod.Patch, $"Users/{member}", JsonNode.Parse(
            """{"Operations":[{"op":"replace","path":"emails","value":[{"value":"poison@example.com"}]}]}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, patch.StatusCode);
        var (_, unchanged) = await client.SendAsync(HttpMethod.Get, $"Users/{member}");
        Assert.Null(unchanged!["emails"]);

        // And for a group: the members stay out when their items cannot be queued.
        var poisoned = (string)(await client.CreateUserAsync("carrier", new JsonObject { ["emails"] = new JsonArray(new JsonObject { ["value"] = "ok@example.com" }) }))["id"]!;
        await SqlAsync(server, "UPDATE users SET user_name = 'poison@example.com', user_name_ci = 'poison@example.com' WHERE id = @id", new { id = poisoned });
        await MarkDoneAsync(server, connection);
        var group = (string)(await client.CreateGroupAsync("atomic"))["id"]!;
        var (add, _) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse(
            $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{member}}"},{"value":"{{poisoned}}"}]}]}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, add.StatusCode);
        var (_, groupAfter) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.True(groupAfter!["members"] is null || groupAfter["members"]!.AsArray().Count == 0);

        Assert.Empty(await PendingAsync(server, connection));
    }

    [Fact]
    public async Task ConcurrentPatchesOfOneUser_AllSucceed_AndLeaveOnePendingItem()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var id = (string)(await client.CreateUserAsync("busy@example.com"))["id"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => client.SendAsync(
            HttpMethod.Patch, $"Users/{id}", JsonNode.Parse($$"""{"Operations":[{"op":"replace","path":"displayName","value":"v{{i}}"}]}"""))));

        Assert.All(responses, r => Assert.True(r.Response.IsSuccessStatusCode, $"{(int)r.Response.StatusCode} {r.Body?.ToJsonString()}"));
        Assert.Single(await PendingAsync(_server, connection));
    }

    [Fact]
    public async Task ConcurrentRenamesOfGroupsSharingMembers_AllSucceed()
    {
        using var tenant = await ConnectAsync(_server);
        var (client, connection) = (tenant.Client, tenant.Connection);
        var ids = await CreateUsersAsync(client, [.. Enumerable.Range(0, 40).Select(i => $"shared{i}@example.com")]);
        var first = (string)(await client.CreateGroupAsync("first", [.. ids]))["id"]!;
        var second = (string)(await client.CreateGroupAsync("second", [.. ids.AsEnumerable().Reverse()]))["id"]!;

        // On PostgreSQL each rename upserts the same 40 keys; taken in one order by every transaction, they make the
        // renames wait for each other rather than deadlock.
        var renames = Enumerable.Range(0, 12).Select(i => client.SendAsync(HttpMethod.Patch, $"Groups/{(i % 2 == 0 ? first : second)}", JsonNode.Parse(
            $$"""{"Operations":[{"op":"replace","path":"externalId","value":"ext-{{i}}"}]}""")));
        var responses = await Task.WhenAll(renames);

        Assert.All(responses, r => Assert.True(r.Response.IsSuccessStatusCode, $"{(int)r.Response.StatusCode} {r.Body?.ToJsonString()}"));
        Assert.Equal(ids.Count, (await PendingAsync(_server, connection)).Count);
    }

    [Fact]
    public async Task WorkQueueEnqueue_SameKindAndKey_StillAddsAnItemEachTime()
    {
        // Only outbox items merge; IWorkQueue.EnqueueAsync keeps its contract ("adds an item").
        var queue = _server.Services.GetRequiredService<IWorkQueue>();
        var key = Guid.NewGuid().ToString();
        await queue.EnqueueAsync("test.plain", key, "{}", null, CancellationToken.None);
        await queue.EnqueueAsync("test.plain", key, "{}", null, CancellationToken.None);

        var count = await _server.Services.GetRequiredService<IStoreDatabase>().ReadAsync(
            db => db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM work_items WHERE key = @key", new { key }), CancellationToken.None);
        Assert.Equal(2, count);
    }

    internal static async Task<Tenant> ConnectAsync(ScimServer server)
    {
        var created = await server.CreateConnectionAsync($"outbox-{Guid.NewGuid():N}");
        return new Tenant(server.Client(created.Secret), created.Connection.Id);
    }

    internal static async Task<List<string>> CreateUsersAsync(HttpClient client, params string[] userNames)
    {
        var ids = new List<string>();
        foreach (var userName in userNames)
        {
            ids.Add((string)(await client.CreateUserAsync(userName))["id"]!);
        }

        return ids;
    }

    internal static async Task PatchGroupAsync(HttpClient client, string group, string operation)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse($$"""{"Operations":[{{operation}}]}"""));
        Assert.True(response.IsSuccessStatusCode, $"PATCH Groups/{group}: {(int)response.StatusCode} {body?.ToJsonString()}");
    }

    /// <summary>The connection's items, oldest first.</summary>
    internal static Task<List<OutboxItem>> ItemsAsync(ScimServer server, Guid connection) =>
        server.Services.GetRequiredService<IStoreDatabase>().ReadAsync(
            async db => (await db.QueryAsync<OutboxItem>(
                """
                SELECT id AS Id, kind AS Kind, key AS Key, CAST(payload AS text) AS Payload, state AS State, attempts AS Attempts, lease_owner AS LeaseOwner
                FROM work_items WHERE key LIKE @prefix ORDER BY id
                """,
                new { prefix = $"{connection:D}:%" })).AsList(),
            CancellationToken.None);

    internal static async Task<List<OutboxItem>> PendingAsync(ScimServer server, Guid connection) =>
        [.. (await ItemsAsync(server, connection)).Where(i => i.State == "pending")];

    /// <summary>Settles the connection's items as a worker would, so the next write's items stand apart.</summary>
    internal static Task MarkDoneAsync(ScimServer server, Guid connection) =>
        SqlAsync(server, "UPDATE work_items SET state = 'done' WHERE key LIKE @prefix AND state = 'pending'", new { prefix = $"{connection:D}:%" });

    internal static Task SqlAsync(ScimServer server, string sql, object? parameters = null) =>
        server.Services.GetRequiredService<IStoreDatabase>().WriteAsync((db, tx) => db.ExecuteAsync(sql, parameters, tx), CancellationToken.None);

    private static async Task RefuseOutboxRowsMentioningAsync(ScimServer server, string text)
    {
        if (ScimServer.Backend == TestStorage.Postgres)
        {
            await SqlAsync(server, $$"""
                CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload::text LIKE '%{{text}}%' THEN RAISE EXCEPTION 'outbox row refused'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_outbox BEFORE INSERT OR UPDATE ON work_items FOR EACH ROW EXECUTE FUNCTION refuse_outbox();
                """);
        }
        else
        {
            await SqlAsync(server, $"""
                CREATE TRIGGER refuse_outbox_insert BEFORE INSERT ON work_items WHEN NEW.payload LIKE '%{text}%'
                BEGIN SELECT RAISE(ABORT, 'outbox row refused'); END;
                CREATE TRIGGER refuse_outbox_update BEFORE UPDATE ON work_items WHEN NEW.payload LIKE '%{text}%'
                BEGIN SELECT RAISE(ABORT, 'outbox row refused'); END;
                """);
        }
    }

    private static async Task PatchEmailAsync(HttpClient client, string id, string email)
    {
        var (response, _) = await client.SendAsync(HttpMethod.Patch, $"Users/{id}", JsonNode.Parse(
            $$"""{"Operations":[{"op":"replace","path":"emails","value":[{"value":"{{email}}","primary":true}]}]}"""));
        Assert.True(response.IsSuccessStatusCode);
    }

    /// <summary>Claims every due identity change and keeps this connection's (the class's other tests leave theirs settled).</summary>
    private static async Task<List<WorkItem>> ClaimOwnAsync(IWorkQueue queue, Guid connection)
    {
        var own = new List<WorkItem>();
        while (await queue.ClaimAsync([IdentityChange.WorkKind], 500, Lease, CancellationToken.None) is { Count: > 0 } claimed)
        {
            own.AddRange(claimed.Where(i => i.Key.StartsWith($"{connection:D}:", StringComparison.Ordinal)));
        }

        return own;
    }

    private static List<string> Sorted(params string[] values) => [.. values.Order(StringComparer.Ordinal)];

    /// <summary>A connection of its own and a client speaking for it.</summary>
    internal sealed record Tenant(HttpClient Client, Guid Connection) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    /// <summary>A work_items row.</summary>
    internal sealed class OutboxItem
    {
        public long Id { get; init; }

        public string Kind { get; init; } = "";

        public string Key { get; init; } = "";

        public string Payload { get; init; } = "";

        public string State { get; init; } = "";

        public long Attempts { get; init; }

        public string? LeaseOwner { get; init; }

        /// <summary>The payload as the reconcile worker reads it.</summary>
        public IdentityChange Change => JsonSerializer.Deserialize<IdentityChange>(Payload, JsonSerializerOptions.Web)!;
    }
}
