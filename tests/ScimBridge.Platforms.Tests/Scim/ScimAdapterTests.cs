using System.Text.Json.Nodes;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>Every operation of the downstream SCIM adapter against a real SCIM service provider (a second ScimBridge).</summary>
public sealed class ScimAdapterTests : IAsyncLifetime
{
    private readonly ScimHarness _harness = new();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private ScimBridgeServer Server => _harness.Server;

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Accounts_are_the_users_with_email_name_status_and_external_id()
    {
        var active = await Server.CreateUserAsync("ann@example.com");
        var inactive = await Server.CreateUserAsync("bob@example.com", active: false);

        var accounts = (await _harness.CreateAdapter().ListAccountsAsync(null, Timeout)).Items.ToDictionary(a => a.Id);

        Assert.Equal(("ann@example.com", "ann", AccountStatus.Active), (accounts[active].Email, accounts[active].Name, accounts[active].Status));
        Assert.Equal(AccountStatus.Suspended, accounts[inactive].Status);
        Assert.NotNull(accounts[active].AddedAt);
    }

    [Fact]
    public async Task An_invite_creates_the_user_once_and_then_finds_it_by_userName()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();
        var invitation = new AccountInvitation("Carol.Chen@example.com", "Carol Chen", "member", []) { ExternalId = "okta-00u1" };

        var created = await inviter.InviteAsync(invitation, Timeout);
        var again = await inviter.InviteAsync(invitation with { Email = "carol.chen@EXAMPLE.com" }, Timeout);

        Assert.Equal(InviteOutcome.Created, created.Outcome);
        Assert.Equal((InviteOutcome.AlreadyMember, created.Id), (again.Outcome, again.Id));
        var user = (await Server.GetAsync("Users/" + created.Id))!;
        Assert.Equal(("Carol.Chen@example.com", "Carol Chen", "okta-00u1", true), ((string)user["userName"]!, (string)user["displayName"]!, (string)user["externalId"]!, (bool)user["active"]!));
        Assert.Equal("Carol.Chen@example.com", (string?)user["emails"]![0]!["value"]);
        Assert.Equal(1, await Server.CountAsync("Users"));
        Assert.Contains(_harness.Proxy.Sent, r => r.Method == "GET" && r.PathAndQuery.Contains("filter=userName%20eq%20%22carol.chen%40EXAMPLE.com%22", StringComparison.Ordinal));
        var post = _harness.Proxy.Sent.Single(r => r.Method == "POST");
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", (string?)JsonNode.Parse(post.Body)!["schemas"]![0]);
    }

    [Fact]
    public async Task Without_filter_support_the_lookup_scans_every_page()
    {
        for (var i = 0; i < 60; i++)
        {
            await Server.CreateUserAsync($"user{i:D2}@example.com");
        }

        var inviter = (IAccountInviter)_harness.CreateAdapter(overrides: [new("SupportsFilter", "false")]);

        var found = await inviter.InviteAsync(new AccountInvitation("user57@example.com", null, "member", []), Timeout);

        Assert.Equal(InviteOutcome.AlreadyMember, found.Outcome);
        Assert.Equal("user57@example.com", (string?)(await Server.GetAsync("Users/" + found.Id))!["userName"]);
        Assert.DoesNotContain(_harness.Proxy.Sent, r => r.PathAndQuery.Contains("filter=", StringComparison.Ordinal));
        Assert.Equal(3, _harness.Proxy.Sent.Count(r => r.Method == "GET")); // 25 + 25 + 10
    }

    [Fact]
    public async Task A_target_that_ignores_the_filter_is_scanned_instead_of_trusted()
    {
        for (var i = 0; i < 30; i++)
        {
            await Server.CreateUserAsync($"member{i:D2}@example.com");
        }

        // keycloak-scim-server#46: the filter is dropped and the whole list comes back.
        _harness.Proxy.Rewrite = path => path.Contains("filter=", StringComparison.Ordinal) ? path[..path.IndexOf("&filter=", StringComparison.Ordinal)] : path;
        var inviter = (IAccountInviter)_harness.CreateAdapter();

        var existing = await inviter.InviteAsync(new AccountInvitation("member28@example.com", null, "member", []), Timeout);
        var created = await inviter.InviteAsync(new AccountInvitation("newcomer@example.com", null, "member", []), Timeout);

        Assert.Equal(InviteOutcome.AlreadyMember, existing.Outcome);
        Assert.Equal("member28@example.com", (string?)(await Server.GetAsync("Users/" + existing.Id))!["userName"]);
        Assert.Equal(InviteOutcome.Created, created.Outcome);
        Assert.Equal(31, await Server.CountAsync("Users"));
    }

    [Fact]
    public async Task A_409_on_create_means_someone_created_it_first_and_is_already_member()
    {
        var id = await Server.CreateUserAsync("dana@example.com");

        // The first lookup misses (a lagging index on the target); the create then meets the uniqueness 409.
        var lookups = 0;
        _harness.Proxy.Intercept = (method, path) => method == "GET" && path.Contains("filter=", StringComparison.Ordinal) && Interlocked.Increment(ref lookups) == 1
            ? (200, """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}""")
            : null;
        var inviter = (IAccountInviter)_harness.CreateAdapter();

        var result = await inviter.InviteAsync(new AccountInvitation("dana@example.com", null, "member", []), Timeout);

        Assert.Equal((InviteOutcome.AlreadyMember, id), (result.Outcome, result.Id));
        Assert.Equal(1, _harness.Control.Requests.Count(r => r.Method == "POST" && r.Status == 409));
    }

    [Fact]
    public async Task A_rejected_user_is_a_permanent_validation_error_with_the_targets_scimType()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();
        _harness.Proxy.Intercept = (method, _) => method == "POST"
            ? (400, """{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"userName must be an email address."}""")
            : null;

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => inviter.InviteAsync(new AccountInvitation("x@example.com", null, "member", []), Timeout));

        Assert.Equal((PlatformErrorKind.Validation, 400, "invalidValue"), (error.Kind, error.StatusCode, error.PlatformCode));
        Assert.EndsWith("userName must be an email address.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_removal_deletes_and_a_404_is_already_in_state()
    {
        var remover = (IAccountRemover)_harness.CreateAdapter();
        var id = await Server.CreateUserAsync("erin@example.com");

        Assert.Equal(ChangeOutcome.Applied, (await remover.RemoveAccountAsync(id, Timeout)).Outcome);
        Assert.Null(await Server.GetAsync("Users/" + id));
        Assert.Equal(ChangeOutcome.AlreadyInState, (await remover.RemoveAccountAsync(id, Timeout)).Outcome);
        Assert.Equal([204, 404], _harness.Control.Requests.Where(r => r.Method == "DELETE" && r.PathAndQuery == "/scim/v2/Users/" + id).Select(r => r.Status));
    }

    [Theory]
    [InlineData("EntraCompatible", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}""")]
    [InlineData("OktaCompatible", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")]
    public async Task Deactivating_dialects_suspend_instead_of_deleting_and_reinviting_reactivates(string dialect, string patch)
    {
        var adapter = _harness.CreateAdapter(overrides: [new("Dialect", dialect)]);
        var id = await Server.CreateUserAsync("frank@example.com");

        Assert.Equal(ChangeOutcome.Applied, (await ((IAccountRemover)adapter).RemoveAccountAsync(id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await ((IAccountRemover)adapter).RemoveAccountAsync(id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await ((IAccountRemover)adapter).RemoveAccountAsync("no-such-user", Timeout)).Outcome);

        Assert.False((bool)(await Server.GetAsync("Users/" + id))!["active"]!);
        Assert.Equal(AccountStatus.Suspended, (await adapter.ListAccountsAsync(null, Timeout)).Items.Single(a => a.Id == id).Status);
        Assert.Equal(patch, Assert.Single(_harness.Proxy.Sent, r => r.Method == "PATCH").Body);

        var back = await ((IAccountInviter)adapter).InviteAsync(new AccountInvitation("frank@example.com", null, "member", []), Timeout);
        Assert.Equal((InviteOutcome.Created, id), (back.Outcome, back.Id));
        Assert.True((bool)(await Server.GetAsync("Users/" + id))!["active"]!);
    }

    [Fact]
    public async Task An_override_beats_the_dialect_and_PatchOp_schemas_can_be_left_out()
    {
        var adapter = (IAccountRemover)_harness.CreateAdapter(overrides: [new("Dialect", "OktaCompatible"), new("DeactivateWithoutPath", "false"), new("PatchOpSchemas", "false")]);
        var id = await Server.CreateUserAsync("gina@example.com");
        _harness.Proxy.Intercept = (method, _) => method == "PATCH" ? (204, "") : null;

        await adapter.RemoveAccountAsync(id, Timeout);

        Assert.Equal("""{"Operations":[{"op":"replace","path":"active","value":false}]}""", Assert.Single(_harness.Proxy.Sent, r => r.Method == "PATCH").Body);
    }

    [Fact]
    public async Task Groups_are_created_idempotently_listed_and_deleted()
    {
        var manager = (IGroupManager)_harness.CreateAdapter();
        var reader = (IGroupReader)manager;

        var created = await manager.CreateGroupAsync("Engineering", Timeout);
        var again = await manager.CreateGroupAsync("engineering", Timeout);
        await Server.CreateGroupAsync("Sales");

        Assert.Equal(created.Id, again.Id);
        Assert.Equal(["Engineering", "Sales"], (await reader.ListGroupsAsync(null, Timeout)).Items.Select(g => g.Name).Order());
        Assert.Single(_harness.Proxy.Sent, r => r.Method == "POST");
        Assert.All(_harness.Proxy.Sent.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/scim/v2/Groups?", StringComparison.Ordinal)), r => Assert.Contains("excludedAttributes=members", r.PathAndQuery, StringComparison.Ordinal));

        Assert.Equal(ChangeOutcome.Applied, (await manager.DeleteGroupAsync(created.Id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.DeleteGroupAsync(created.Id, Timeout)).Outcome);
        Assert.Null(await Server.GetAsync("Groups/" + created.Id));
    }

    [Theory]
    [InlineData("Rfc7644", "members[value eq \"{0}\"]", null)]
    [InlineData("EntraCompatible", "members", """[{"value":"{0}"}]""")]
    public async Task Members_are_added_and_removed_idempotently_and_only_the_named_member_goes(string dialect, string removalPath, string? removalValue)
    {
        var adapter = _harness.CreateAdapter(overrides: [new("Dialect", dialect)]);
        var manager = (IGroupManager)adapter;
        var (stays, goes) = (await Server.CreateUserAsync("stays@example.com"), await Server.CreateUserAsync("goes@example.com"));
        var group = await Server.CreateGroupAsync("Platform", stays);

        Assert.Equal(ChangeOutcome.Applied, (await manager.AddGroupMemberAsync(group, goes, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.AddGroupMemberAsync(group, goes, Timeout)).Outcome);
        Assert.Equal(new[] { stays, goes }.Order(), (await ((IGroupReader)adapter).ListGroupMembersAsync(group, null, Timeout)).Items.Select(m => m.AccountId).Order());

        Assert.Equal(ChangeOutcome.Applied, (await manager.RemoveGroupMemberAsync(group, goes, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.RemoveGroupMemberAsync(group, goes, Timeout)).Outcome);
        Assert.Equal([stays], await Server.GroupMemberIdsAsync(group));

        var patches = _harness.Proxy.Sent.Where(r => r.Method == "PATCH").Select(r => JsonNode.Parse(r.Body)!["Operations"]![0]!).ToList();
        Assert.Equal(2, patches.Count);
        Assert.Equal(("add", "members", $$"""[{"value":"{{goes}}"}]"""), ((string)patches[0]["op"]!, (string)patches[0]["path"]!, patches[0]["value"]!.ToJsonString()));
        Assert.Equal(
            ("remove", removalPath.Replace("{0}", goes, StringComparison.Ordinal), removalValue?.Replace("{0}", goes, StringComparison.Ordinal)),
            ((string)patches[1]["op"]!, (string)patches[1]["path"]!, patches[1]["value"]?.ToJsonString()));
    }

    [Fact]
    public async Task Member_changes_on_a_missing_group_fail_on_add_and_are_already_in_state_on_remove()
    {
        var manager = (IGroupManager)_harness.CreateAdapter();
        var user = await Server.CreateUserAsync("hal@example.com");

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => manager.AddGroupMemberAsync("no-such-group", user, Timeout));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.RemoveGroupMemberAsync("no-such-group", user, Timeout)).Outcome);
        await Assert.ThrowsAsync<PlatformPermanentException>(() => ((IGroupReader)manager).ListGroupMembersAsync("no-such-group", null, Timeout));
    }

    [Fact]
    public async Task MaxPageSize_caps_count_and_paging_follows_what_the_target_returned()
    {
        for (var i = 0; i < 23; i++)
        {
            await Server.CreateUserAsync($"p{i:D2}@example.com");
        }

        var ids = new List<string>();
        await foreach (var account in Pages.ReadAllAsync(_harness.CreateAdapter(overrides: [new("MaxPageSize", "7")]).ListAccountsAsync, Timeout))
        {
            ids.Add(account.Id);
        }

        Assert.Equal(23, ids.Distinct().Count());
        Assert.Equal(
            ["/scim/v2/Users?startIndex=1&count=7", "/scim/v2/Users?startIndex=8&count=7", "/scim/v2/Users?startIndex=15&count=7", "/scim/v2/Users?startIndex=22&count=7"],
            _harness.Proxy.Sent.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task A_wrong_token_is_unhealthy_without_echoing_it()
    {
        var health = await _harness.CreateAdapter(apiKey: "scb_wrong").ValidateAsync(Timeout);
        var healthy = await _harness.CreateAdapter().ValidateAsync(Timeout);

        Assert.False(health.Healthy);
        Assert.StartsWith("Authentication", health.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("scb_wrong", health.Detail, StringComparison.Ordinal);
        Assert.True(healthy.Healthy);
        Assert.Contains("/scim/v2/Users?startIndex=1&count=1", _harness.Proxy.Sent.Select(r => r.PathAndQuery));
    }
}
