using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Anthropic;
using ScimBridge.Platforms.Tests.Contract;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>Every Anthropic operation through the real registration path against the simulator, checked in its state.</summary>
public sealed class AnthropicAdapterTests : IAsyncLifetime
{
    private const string Users = "/v1/organizations/users";
    private const string Invites = "/v1/organizations/invites";
    private const string ApiKeys = "/v1/organizations/api_keys";
    private const string Members = $"/v1/organizations/workspaces/{AnthropicHarness.WorkspaceId}/members";

    private readonly AnthropicHarness _harness = new();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ListAccounts_maps_users_and_pages_by_after_id_with_the_configured_limit()
    {
        _harness.Sim.AddUsers(30);
        _harness.Control.ClearRequests();
        var adapter = _harness.CreateAdapter();

        var first = await adapter.ListAccountsAsync(null, Timeout);
        var second = await adapter.ListAccountsAsync(first.NextPageToken, Timeout);

        Assert.Equal(25, first.Items.Count);
        Assert.Equal(first.Items[^1].Id, first.NextPageToken);
        Assert.Equal(9, second.Items.Count); // 4 seeded + 30 added = 34
        Assert.Null(second.NextPageToken);
        var developer = first.Items.Single(a => a.Id == AnthropicHarness.DeveloperId);
        Assert.Equal(("user@emaildomain.com", "Jane Doe", "developer", AccountStatus.Active), (developer.Email, developer.Name, developer.Role, developer.Status));
        Assert.Equal(new DateTimeOffset(2024, 10, 30, 23, 58, 27, TimeSpan.Zero).AddTicks(4277220), developer.AddedAt);
        var paths = _harness.Control.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal($"{Users}?limit=25", paths[0]);
        Assert.Equal($"{Users}?limit=25&after_id={first.NextPageToken}", paths[1]);
    }

    [Fact]
    public async Task Two_hundred_thousand_users_stream_through_in_pages()
    {
        _harness.Sim.AddUsers(200_000);
        var adapter = _harness.CreateAdapter(overrides: [new("PageSize", "1000")]);
        _harness.Control.ClearRequests();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, Timeout))
        {
            ids.Add(account.Id);
        }

        Assert.Equal(200_004, ids.Count);
        Assert.Equal(201, _harness.Control.Count("GET", Users));
    }

    [Fact]
    public async Task SetAccountRole_changes_the_role_once_then_reports_already_in_state()
    {
        var roles = (IAccountRoleManager)_harness.CreateAdapter();

        Assert.Equal(ChangeOutcome.Applied, (await roles.SetAccountRoleAsync(AnthropicHarness.NewcomerId, "developer", Timeout)).Outcome);
        _harness.Control.ClearRequests();
        Assert.Equal(ChangeOutcome.AlreadyInState, (await roles.SetAccountRoleAsync(AnthropicHarness.NewcomerId, "developer", Timeout)).Outcome);

        Assert.Equal("developer", _harness.Sim.FindUser(AnthropicHarness.NewcomerId)!.Role);
        Assert.Equal(0, _harness.Control.Count("POST", Users));
    }

    [Fact]
    public async Task SetAccountRole_to_admin_is_refused_by_the_platform_as_a_validation_error()
    {
        var roles = (IAccountRoleManager)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => roles.SetAccountRoleAsync(AnthropicHarness.NewcomerId, "admin", Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.PlatformCode);
        Assert.Equal("user", _harness.Sim.FindUser(AnthropicHarness.NewcomerId)!.Role);
    }

    [Fact]
    public async Task SetAccountRole_of_an_unknown_user_is_not_found()
    {
        var roles = (IAccountRoleManager)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => roles.SetAccountRoleAsync("user_01Nobody", "developer", Timeout));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(PlatformHarness.TargetName, error.Target);
    }

    [Fact]
    public async Task RemoveAccount_removes_the_user_and_their_workspace_memberships()
    {
        var remover = (IAccountRemover)_harness.CreateAdapter();
        Assert.Equal("workspace_user", _harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.RemovableId));

        Assert.Equal(ChangeOutcome.Applied, (await remover.RemoveAccountAsync(AnthropicHarness.RemovableId, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await remover.RemoveAccountAsync(AnthropicHarness.RemovableId, Timeout)).Outcome);

        Assert.Null(_harness.Sim.FindUser(AnthropicHarness.RemovableId));
        Assert.Null(_harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.RemovableId));
    }

    [Fact]
    public async Task Invite_sends_once_then_reports_already_invited_and_after_acceptance_already_member()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();
        var invitation = new AccountInvitation("new.hire@example.test", "New Hire", "developer", []);

        var sent = await inviter.InviteAsync(invitation, Timeout);
        var again = await inviter.InviteAsync(invitation with { Email = "New.Hire@Example.test" }, Timeout);

        Assert.Equal(InviteOutcome.Invited, sent.Outcome);
        Assert.Equal(new InviteResult(InviteOutcome.AlreadyInvited, sent.Id), again);
        Assert.Equal(1, _harness.Control.Count("POST", Invites));
        var invite = _harness.Sim.FindInvite(sent.Id)!;
        Assert.Equal(("new.hire@example.test", "developer", "pending"), (invite.Email, invite.Role, invite.Status));

        var user = _harness.Sim.AcceptInvite(sent.Id, "New Hire");
        Assert.Equal(new InviteResult(InviteOutcome.AlreadyMember, user.Id), await inviter.InviteAsync(invitation, Timeout));
        Assert.Equal(1, _harness.Control.Count("POST", Invites));
    }

    [Fact]
    public async Task Invite_of_an_existing_member_sends_nothing()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();

        var result = await inviter.InviteAsync(new AccountInvitation("user@emaildomain.com", null, "user", []), Timeout);

        Assert.Equal(new InviteResult(InviteOutcome.AlreadyMember, AnthropicHarness.DeveloperId), result);
        Assert.Equal(0, _harness.Control.Count("POST", Invites));
    }

    [Fact]
    public async Task Invite_replaces_an_expired_invite_with_a_new_one()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();

        var result = await inviter.InviteAsync(new AccountInvitation("expired@example.test", null, "developer", []), Timeout);

        Assert.Equal(InviteOutcome.Invited, result.Outcome);
        Assert.NotEqual(AnthropicHarness.ExpiredInviteId, result.Id);
        Assert.Equal("pending", _harness.Sim.FindInvite(result.Id)!.Status);
    }

    [Fact]
    public async Task Invite_workspace_grants_are_not_sent_and_wait_for_acceptance()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();
        var invitation = new AccountInvitation("grantee@example.test", null, "user", [new ContainerGrant(AnthropicHarness.WorkspaceId, "workspace_developer")]);

        var result = await inviter.InviteAsync(invitation, Timeout);

        Assert.Equal(InviteOutcome.Invited, result.Outcome);
        Assert.Equal(0, _harness.Control.Count("POST", Members));
        Assert.Contains(_harness.Logs.Lines, l => l.Contains($"invite {result.Id} sent; 1 workspace grant(s) wait", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Logs.Lines, l => l.Contains("grantee@example.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_with_the_admin_role_is_refused_by_the_platform()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => inviter.InviteAsync(new AccountInvitation("boss@example.test", null, "admin", []), Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.DoesNotContain(_harness.Sim.Invites, i => i.Email == "boss@example.test");
    }

    [Fact]
    public async Task ListInvitations_maps_statuses_and_cancel_is_idempotent()
    {
        var adapter = _harness.CreateAdapter();
        var reader = (IInvitationReader)adapter;
        var inviter = (IAccountInviter)adapter;

        var listed = (await reader.ListInvitationsAsync(null, Timeout)).Items.ToDictionary(i => i.Id);
        Assert.Equal(InvitationStatus.Pending, listed[AnthropicHarness.PendingInviteId].Status);
        Assert.Equal(InvitationStatus.Expired, listed[AnthropicHarness.ExpiredInviteId].Status);
        Assert.Equal(("pending@example.test", "user"), (listed[AnthropicHarness.PendingInviteId].Email, listed[AnthropicHarness.PendingInviteId].Role));

        Assert.Equal(ChangeOutcome.Applied, (await inviter.CancelInvitationAsync(AnthropicHarness.PendingInviteId, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await inviter.CancelInvitationAsync(AnthropicHarness.PendingInviteId, Timeout)).Outcome);

        Assert.Equal("deleted", _harness.Sim.FindInvite(AnthropicHarness.PendingInviteId)!.Status);
        Assert.DoesNotContain((await reader.ListInvitationsAsync(null, Timeout)).Items, i => i.Id == AnthropicHarness.PendingInviteId);
    }

    [Fact]
    public async Task Workspaces_are_listed_with_archived_ones_created_and_archived_idempotently()
    {
        var adapter = _harness.CreateAdapter();
        var containers = (IContainerManager)adapter;

        var created = await containers.CreateContainerAsync("Research", Timeout);
        Assert.Equal(("Research", ContainerKind.Workspace, false), (created.Name, created.Kind, created.Archived));
        Assert.StartsWith("wrkspc_01", created.Id, StringComparison.Ordinal);
        Assert.Equal("Research", _harness.Sim.FindWorkspace(created.Id)!.Name);

        Assert.Equal(ChangeOutcome.Applied, (await containers.ArchiveContainerAsync(created.Id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await containers.ArchiveContainerAsync(created.Id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await containers.ArchiveContainerAsync("wrkspc_01Missing", Timeout)).Outcome);
        Assert.NotNull(_harness.Sim.FindWorkspace(created.Id)!.ArchivedAt);

        var listed = new List<PlatformContainer>();
        await foreach (var container in Pages.ReadAllAsync(((IContainerReader)adapter).ListContainersAsync, Timeout))
        {
            listed.Add(container);
        }

        Assert.Equal(
            [(AnthropicHarness.WorkspaceId, false), (AnthropicHarness.ArchivedWorkspaceId, true), (created.Id, true)],
            listed.Select(c => (c.Id, c.Archived)));
    }

    [Fact]
    public async Task A_workspace_name_over_40_characters_is_refused_by_the_platform()
    {
        var containers = (IContainerManager)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => containers.CreateContainerAsync(new string('x', 41), Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Contains("40", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _harness.Sim.Workspaces.Count);
    }

    [Fact]
    public async Task Members_are_listed_and_granted_billing_only_by_update()
    {
        var adapter = _harness.CreateAdapter();
        var granter = (IMembershipGranter)adapter;

        var members = (await ((IContainerReader)adapter).ListMembersAsync(AnthropicHarness.WorkspaceId, null, Timeout)).Items;
        Assert.Equal(
            [(AnthropicHarness.DeveloperId, "workspace_developer"), (AnthropicHarness.RemovableId, "workspace_user")],
            members.Select(m => (m.AccountId, m.Role)));

        // A non-member cannot be added as workspace_billing: refused before any write.
        _harness.Control.ClearRequests();
        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            granter.GrantMembershipAsync(AnthropicHarness.WorkspaceId, AnthropicHarness.NewcomerId, "workspace_billing", Timeout));
        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Contains("workspace_billing", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Control.Count("POST", Members));
        Assert.Null(_harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.NewcomerId));

        // An existing member can be moved to workspace_billing (Update Workspace Member takes all five roles).
        Assert.Equal(ChangeOutcome.Applied, (await granter.GrantMembershipAsync(AnthropicHarness.WorkspaceId, AnthropicHarness.DeveloperId, "workspace_billing", Timeout)).Outcome);
        Assert.Equal("workspace_billing", _harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.DeveloperId));
    }

    [Fact]
    public async Task Grant_in_an_unknown_workspace_is_not_found_and_revoke_there_is_already_in_state()
    {
        var adapter = _harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            ((IMembershipGranter)adapter).GrantMembershipAsync("wrkspc_01Missing", AnthropicHarness.NewcomerId, "workspace_user", Timeout));
        var revoked = await ((IMembershipRevoker)adapter).RevokeMembershipAsync("wrkspc_01Missing", AnthropicHarness.NewcomerId, Timeout);

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal("not_found_error", error.PlatformCode);
        Assert.Equal(ChangeOutcome.AlreadyInState, revoked.Outcome);
    }

    [Fact]
    public async Task Credentials_map_owner_status_hint_and_workspace()
    {
        var reader = (ICredentialReader)_harness.CreateAdapter();

        var keys = (await reader.ListCredentialsAsync(null, Timeout)).Items.ToDictionary(k => k.Id);

        Assert.Equal(5, keys.Count);
        Assert.All(keys.Values, k => Assert.Equal(CredentialKind.ApiKey, k.Kind));
        var active = keys[AnthropicHarness.ActiveKeyId];
        Assert.Equal(
            ("Developer Key", CredentialStatus.Active, "sk-ant-api03-R2D...igAA", AnthropicHarness.WorkspaceId),
            (active.Name, active.Status, active.RedactedValue, active.ContainerId));
        Assert.Equal(new CredentialOwner(PrincipalKind.User, AnthropicHarness.DeveloperId, null, null), active.Owner);
        Assert.Equal(CredentialStatus.Inactive, keys[AnthropicHarness.InactiveKeyId].Status);
        Assert.Null(keys[AnthropicHarness.InactiveKeyId].ContainerId); // the default workspace
        Assert.Equal(CredentialStatus.Archived, keys[AnthropicHarness.ArchivedKeyId].Status);
        Assert.Equal(CredentialStatus.Expired, keys[AnthropicHarness.ExpiredKeyId].Status);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), keys[AnthropicHarness.ExpiredKeyId].ExpiresAt);
        Assert.Equal(PrincipalKind.ServiceAccount, keys[AnthropicHarness.ServiceAccountKeyId].Owner!.Kind);
    }

    [Fact]
    public async Task Disable_sets_an_active_key_inactive_once_and_leaves_unusable_keys_alone()
    {
        var disabler = (ICredentialDisabler)_harness.CreateAdapter();
        CredentialRef Key(string id) => new(id, CredentialKind.ApiKey, null);

        Assert.Equal(ChangeOutcome.Applied, (await disabler.DisableCredentialAsync(Key(AnthropicHarness.ActiveKeyId), Timeout)).Outcome);
        Assert.Equal("inactive", _harness.Sim.FindApiKey(AnthropicHarness.ActiveKeyId)!.Status);

        _harness.Control.ClearRequests();
        foreach (var id in new[] { AnthropicHarness.ActiveKeyId, AnthropicHarness.InactiveKeyId, AnthropicHarness.ArchivedKeyId, AnthropicHarness.ExpiredKeyId, "apikey_01Missing" })
        {
            Assert.Equal(ChangeOutcome.AlreadyInState, (await disabler.DisableCredentialAsync(Key(id), Timeout)).Outcome);
        }

        Assert.Equal(0, _harness.Control.Count("POST", ApiKeys));
        Assert.Equal("archived", _harness.Sim.FindApiKey(AnthropicHarness.ArchivedKeyId)!.Status);
    }

    [Fact]
    public async Task Disable_refuses_a_credential_that_is_not_an_api_key()
    {
        var disabler = (ICredentialDisabler)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            disabler.DisableCredentialAsync(new CredentialRef(AnthropicHarness.ActiveKeyId, CredentialKind.ServiceAccount, null), Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Equal("active", _harness.Sim.FindApiKey(AnthropicHarness.ActiveKeyId)!.Status);
    }

    [Fact]
    public async Task Rename_changes_the_name_once_and_an_unknown_key_is_not_found()
    {
        var renamer = (ICredentialRenamer)_harness.CreateAdapter();
        var key = new CredentialRef(AnthropicHarness.ActiveKeyId, CredentialKind.ApiKey, AnthropicHarness.WorkspaceId);

        Assert.Equal(ChangeOutcome.Applied, (await renamer.RenameCredentialAsync(key, "leaver: Jane Doe", Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await renamer.RenameCredentialAsync(key, "leaver: Jane Doe", Timeout)).Outcome);
        var missing = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            renamer.RenameCredentialAsync(key with { Id = "apikey_01Missing" }, "x", Timeout));

        var renamed = _harness.Sim.FindApiKey(AnthropicHarness.ActiveKeyId)!;
        Assert.Equal(("leaver: Jane Doe", "active"), (renamed.Name, renamed.Status));
        Assert.Equal(PlatformErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task An_overloaded_529_is_retried_and_persistent_overload_ends_transient()
    {
        var adapter = _harness.CreateAdapter();
        _harness.Control.FailNext(requests: 1, status: 529);
        _harness.Control.ClearRequests();
        await adapter.ListAccountsAsync(null, Timeout);
        Assert.Equal([529, 200], _harness.Control.Requests.Select(r => r.Status));

        _harness.Control.FailNext(requests: 50, status: 529);
        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));
        Assert.Equal(PlatformErrorKind.Unavailable, error.Kind);
        Assert.Equal(529, error.StatusCode);
        Assert.Equal("overloaded_error", error.PlatformCode);
    }

    [Fact]
    public async Task A_rate_limit_carries_the_platform_type_and_retry_after()
    {
        var adapter = _harness.CreateAdapter();
        _harness.Control.ThrottleNext(requests: 100, retryAfterSeconds: 45);

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => ((ICredentialReader)adapter).ListCredentialsAsync(null, Timeout));

        Assert.Equal(("rate_limit_error", TimeSpan.FromSeconds(45)), (error.PlatformCode, error.RetryAfter));
    }

    [Fact]
    public async Task Every_request_carries_the_configured_anthropic_version()
    {
        await _harness.CreateAdapter().ListAccountsAsync(null, Timeout);
        Assert.Equal("2023-06-01", _harness.Sim.LastAnthropicVersion);

        var pinned = _harness.CreateAdapter(overrides: [new("AnthropicVersion", "2024-01-01")]);
        Assert.True((await pinned.ValidateAsync(Timeout)).Healthy);
        Assert.Equal("2024-01-01", _harness.Sim.LastAnthropicVersion);
    }

    [Fact]
    public async Task The_client_list_filters_reach_the_platform()
    {
        using var http = new HttpClient { BaseAddress = _harness.BaseUrl };
        http.DefaultRequestHeaders.Add("x-api-key", _harness.AdminKey);
        http.DefaultRequestHeaders.Add("anthropic-version", AnthropicOptions.DefaultVersion);
        var client = new AnthropicClient(
            http,
            new PlatformTarget("filters", "anthropic"),
            new AnthropicOptions { ApiKey = _harness.AdminKey },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AnthropicClient>.Instance,
            TimeProvider.System);

        var keys = await client.ListApiKeysAsync(null, 0, "active", AnthropicHarness.WorkspaceId, AnthropicHarness.DeveloperId, Timeout);
        var expired = await client.ListInvitesAsync(null, 0, "EXPIRED@example.test", ["expired"], Timeout);
        var pending = await client.ListInvitesAsync(null, 0, "expired@example.test", ["pending"], Timeout);
        var users = await client.ListUsersAsync(null, 0, "user@emaildomain.com", Timeout);
        var archivedToo = await client.ListWorkspacesAsync(null, 0, includeArchived: true, Timeout);
        var activeOnly = await client.ListWorkspacesAsync(null, 0, includeArchived: false, Timeout);

        Assert.Equal([AnthropicHarness.ActiveKeyId], keys.Data.Select(k => k.Id));
        Assert.Equal([AnthropicHarness.ExpiredInviteId], expired.Data.Select(i => i.Id));
        Assert.Empty(pending.Data);
        Assert.Equal([AnthropicHarness.DeveloperId], users.Data.Select(u => u.Id));
        Assert.Equal(2, archivedToo.Data.Count);
        Assert.Equal([AnthropicHarness.WorkspaceId], activeOnly.Data.Select(w => w.Id));
    }

    [Fact]
    public async Task A_create_is_not_retried_after_a_server_error()
    {
        var containers = (IContainerManager)_harness.CreateAdapter();
        _harness.Control.FailNext(requests: 1, status: 500);
        _harness.Control.ClearRequests();

        // The workspace may have been created before the 500, so sending it again could make two.
        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => containers.CreateContainerAsync("Once", Timeout));

        Assert.Equal(PlatformErrorKind.Unavailable, error.Kind);
        Assert.Equal([500], _harness.Control.Requests.Select(r => r.Status));
    }
}
