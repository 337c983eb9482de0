using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>What real SCIM and /admin traffic leaves in the trail: who, what, outcome; never a secret.</summary>
public sealed class AuditRecordingTests : IAsyncLifetime
{
    private const string Password = "Sup3r-Secret-Passw0rd!";
    private ScimServer _server = null!;

    public async Task InitializeAsync() => _server = await AuditHarness.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ScimRequests_AreRecordedWithoutAnySecret()
    {
        var created = await _server.CreateConnectionAsync("okta-audit", Core.Connections.IdpKind.Okta);
        using var scim = _server.Client(created.Secret);
        var user = await scim.CreateUserAsync("ada@contoso.com", new JsonObject { ["password"] = Password });
        var id = (string)user["id"]!;
        await scim.SendAsync(HttpMethod.Get, $"Users/{id}");
        await scim.SendAsync(HttpMethod.Put, $"Users/{id}", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = "ada@contoso.com", ["password"] = Password, ["active"] = false,
        });
        await scim.SendAsync(HttpMethod.Get, "Users?filter=userName%20eq%20%22ada%40contoso.com%22");
        await scim.SendAsync(HttpMethod.Delete, $"Users/{id}");
        var (missing, _) = await scim.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // A wrong token is recorded as denied, without the token or a connection.
        const string WrongToken = "scb_definitely-not-a-valid-token";
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client(WrongToken).GetAsync("Users")).StatusCode);

        var events = (await AuditHarness.WaitForAsync(_server, new AuditQuery { Connection = "okta-audit" }, 6)).Reverse().ToList();
        Assert.Equal(
            ["User create 201 success", $"User read 200 success", "User replace 200 success", "User list 200 success", "User delete 204 success", "User read 404 failure"],
            events.Select(e => $"{e.Event.ResourceType} {e.Event.Action} {JsonNode.Parse(e.Event.Details!)!["status"]} {e.Event.Outcome}"));
        Assert.All(events.Where(e => e.Event.Action != "list"), e => Assert.Equal(id, e.Event.ResourceId));
        Assert.All(events, e =>
        {
            Assert.Equal(AuditKinds.ScimRequest, e.Event.Kind);
            Assert.Equal("okta", (string?)JsonNode.Parse(e.Event.Details!)!["dialect"]);
            Assert.Matches("^[0-9a-f]{32}$", e.Event.RequestId);
        });
        // The resource filter finds what was done to the user (its reads are in the trail, but not in that index).
        var changes = await AuditHarness.Store(_server).QueryAsync(new AuditQuery { Resource = $"User/{id}" }, CancellationToken.None);
        Assert.Equal(["delete", "replace", "create"], changes.Events.Select(e => e.Event.Action));

        var denied = await AuditHarness.WaitForAsync(_server, new AuditQuery { Kind = AuditKinds.ScimRequest, Outcome = "denied" }, 1);
        Assert.Null(denied[0].Event.Connection);

        // Nowhere: not in any column of the table, not in either export.
        using var admin = AuditHarness.Admin(_server);
        var table = await AuditHarness.DumpTableAsync(_server);
        var jsonl = await admin.GetStringAsync("admin/audit/export?format=jsonl");
        var csv = await admin.GetStringAsync("admin/audit/export?format=csv");
        foreach (var text in new[] { table, jsonl, csv })
        {
            Assert.Contains(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain(created.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AuditHarness.AdminToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("ada@contoso.com", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminChanges_AreRecordedWithTheOperator_AndReadsAreNot()
    {
        using var admin = AuditHarness.Admin(_server);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("admin/work/424242/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("admin/runs")).StatusCode);

        using var stranger = new HttpClient { BaseAddress = _server.BaseAddress };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("admin/work/1/retry", null)).StatusCode);

        var events = (await AuditHarness.WaitForAsync(_server, new AuditQuery { Kind = AuditKinds.OperatorAction }, 2)).Reverse().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(("admin-token", "POST /admin/work/424242/retry", "failure", "work", "424242"),
            (events[0].Event.Actor, events[0].Event.Action, events[0].Event.Outcome, events[0].Event.ResourceType, events[0].Event.ResourceId));
        Assert.Equal(("anonymous", "denied"), (events[1].Event.Actor, events[1].Event.Outcome));
        Assert.DoesNotContain("not-the-admin-token", await AuditHarness.DumpTableAsync(_server), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScimWrite_IsCommittedBeforeItsResponse()
    {
        using var scim = await _server.ClientAsync(Core.Connections.IdpKind.Generic, "durable");
        var user = await scim.CreateUserAsync("durable@contoso.com");
        var (patched, _) = await scim.SendAsync(HttpMethod.Patch, $"Users/{user["id"]}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"active","value":false}]}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        // No waiting: a change's event is in the table by the time its response arrives.
        var page = await AuditHarness.Store(_server).QueryAsync(new AuditQuery { Connection = "durable" }, CancellationToken.None);
        Assert.Equal(["patch", "create"], page.Events.Select(e => e.Event.Action));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ScimReads_AreRecordedUnlessSwitchedOff(bool reads)
    {
        await using var server = reads ? null : await AuditHarness.StartAsync("--Audit:ScimReads=false");
        var target = server ?? _server;
        using var scim = await target.ClientAsync(Core.Connections.IdpKind.Generic, "reads");
        var user = await scim.CreateUserAsync("reader@contoso.com");
        Assert.Equal(HttpStatusCode.OK, (await scim.SendAsync(HttpMethod.Get, $"Users/{user["id"]}", null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scim.SendAsync(HttpMethod.Get, "Users?filter=userName%20eq%20%22reader@contoso.com%22", null)).Response.StatusCode);

        // A change after the reads: its group commit takes whatever the reads queued before it.
        var (patched, _) = await scim.SendAsync(HttpMethod.Patch, $"Users/{user["id"]}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"active","value":false}]}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var page = await AuditHarness.Store(target).QueryAsync(new AuditQuery { Connection = "reads" }, CancellationToken.None);
        Assert.Equal(reads ? ["patch", "list", "read", "create"] : ["patch", "create"], page.Events.Select(e => e.Event.Action));
    }
}
