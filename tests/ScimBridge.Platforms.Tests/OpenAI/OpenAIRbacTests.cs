using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>Groups, roles and role assignments (the RBAC envelope) through the adapter, against the simulator.</summary>
public sealed class OpenAIRbacTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Groups_page_with_the_next_cursor()
    {
        var manager = _harness.Adapter<IGroupManager>();
        for (var i = 0; i < 9; i++)
        {
            await manager.CreateGroupAsync($"Team {i}", Timeout);
        }

        var reader = _harness.Adapter<IGroupReader>(pageSize: 4);
        _harness.Control.ClearRequests();
        var groups = new List<PlatformGroup>();
        await foreach (var group in Pages.ReadAllAsync(reader.ListGroupsAsync, Timeout))
        {
            groups.Add(group);
        }

        Assert.Equal(11, groups.Count);
        Assert.Equal([OpenAIHarness.EngineeringGroup, OpenAIHarness.ScimGroup], groups.Take(2).Select(g => g.Id));
        Assert.True(groups[1].IsScimManaged);
        Assert.False(groups[0].IsScimManaged);
        var requests = _harness.Control.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal($"/v1/organization/groups?limit=4&after={groups[3].Id}", requests[1]);
    }

    [Fact]
    public async Task Rbac_pages_clamp_to_1000_not_to_the_classic_100()
    {
        var reader = _harness.Adapter<IGroupReader>(pageSize: 1000);
        _harness.Control.ClearRequests();

        await reader.ListGroupsAsync(null, Timeout);

        Assert.Equal("/v1/organization/groups?limit=1000", _harness.Control.Requests.Single().PathAndQuery);
    }

    [Fact]
    public async Task Group_membership_changes_are_idempotent()
    {
        var manager = _harness.Adapter<IGroupManager>();
        var reader = _harness.Adapter<IGroupReader>(pageSize: 1);

        Assert.Equal(ChangeOutcome.Applied, (await manager.AddGroupMemberAsync(OpenAIHarness.EngineeringGroup, OpenAIHarness.NewcomerId, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.AddGroupMemberAsync(OpenAIHarness.EngineeringGroup, OpenAIHarness.NewcomerId, Timeout)).Outcome);
        var members = new List<GroupMember>();
        await foreach (var member in Pages.ReadAllAsync((token, ct) => reader.ListGroupMembersAsync(OpenAIHarness.EngineeringGroup, token, ct), Timeout))
        {
            members.Add(member);
        }

        // Newest first, the group-users default order.
        Assert.Equal([OpenAIHarness.NewcomerId, OpenAIHarness.DeveloperId], members.Select(m => m.AccountId));
        Assert.Equal(ChangeOutcome.Applied, (await manager.RemoveGroupMemberAsync(OpenAIHarness.EngineeringGroup, OpenAIHarness.NewcomerId, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.RemoveGroupMemberAsync(OpenAIHarness.EngineeringGroup, OpenAIHarness.NewcomerId, Timeout)).Outcome);
        Assert.False(_harness.Sim.GroupHasUser(OpenAIHarness.EngineeringGroup, OpenAIHarness.NewcomerId));

        var outsider = await Assert.ThrowsAsync<PlatformPermanentException>(() => manager.AddGroupMemberAsync(OpenAIHarness.EngineeringGroup, "user-stranger", Timeout));
        Assert.Equal(PlatformErrorKind.Validation, outsider.Kind);
    }

    [Fact]
    public async Task Groups_are_created_and_deleted_once()
    {
        var manager = _harness.Adapter<IGroupManager>();

        var created = await manager.CreateGroupAsync("Platform", Timeout);
        Assert.True(_harness.Sim.GroupExists(created.Id));
        Assert.Equal(("Platform", false), (created.Name, created.IsScimManaged));
        Assert.Equal(ChangeOutcome.Applied, (await manager.DeleteGroupAsync(created.Id, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.DeleteGroupAsync(created.Id, Timeout)).Outcome);
        Assert.False(_harness.Sim.GroupExists(created.Id));
    }

    [Fact]
    public async Task Roles_list_at_organisation_and_project_scope()
    {
        var reader = _harness.Adapter<IRoleReader>();
        _harness.Control.ClearRequests();

        var organisation = (await reader.ListRolesAsync(null, null, Timeout)).Items;
        var project = (await reader.ListRolesAsync(OpenAIHarness.ResearchProject, null, Timeout)).Items;

        Assert.Equal([(OpenAIHarness.GroupManagerRole, false), ("role_org_reader", true)], organisation.Select(r => (r.Id, r.Predefined)));
        Assert.Equal(["api.groups.read", "api.groups.write"], organisation[0].Permissions);
        Assert.Null(organisation[0].ContainerId);
        var keyManager = Assert.Single(project);
        Assert.Equal((OpenAIHarness.KeyManagerRole, "API Project Key Manager", OpenAIHarness.ResearchProject), (keyManager.Id, keyManager.Name, keyManager.ContainerId));
        Assert.Equal(
            ["/v1/organization/roles?limit=25", "/v1/projects/proj_research/roles?limit=25"],
            _harness.Control.Requests.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData(PrincipalKind.User, OpenAIHarness.NewcomerId, null, OpenAIHarness.GroupManagerRole, "/v1/organization/users/user-newcomer/roles")]
    [InlineData(PrincipalKind.Group, OpenAIHarness.EngineeringGroup, null, OpenAIHarness.GroupManagerRole, "/v1/organization/groups/group_engineering/roles")]
    [InlineData(PrincipalKind.User, OpenAIHarness.DeveloperId, OpenAIHarness.ResearchProject, OpenAIHarness.KeyManagerRole, "/v1/projects/proj_research/users/user-developer/roles")]
    [InlineData(PrincipalKind.Group, OpenAIHarness.EngineeringGroup, OpenAIHarness.ResearchProject, OpenAIHarness.KeyManagerRole, "/v1/projects/proj_research/groups/group_engineering/roles")]
    public async Task Role_assignments_are_idempotent_at_every_scope(PrincipalKind kind, string principalId, string? project, string role, string path)
    {
        var manager = _harness.Adapter<IRoleAssignmentManager>();
        var reader = _harness.Adapter<IRoleReader>();
        var principal = new PrincipalRef(kind, principalId);
        var type = kind == PrincipalKind.User ? "user" : "group";
        _harness.Control.ClearRequests();

        Assert.Equal(ChangeOutcome.Applied, (await manager.AssignRoleAsync(principal, role, project, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.AssignRoleAsync(principal, role, project, Timeout)).Outcome);
        Assert.Contains(role, _harness.Sim.AssignedRoleIds(type, principalId, project));
        var assigned = (await reader.ListRoleAssignmentsAsync(principal, project, null, Timeout)).Items;
        Assert.Contains(new RoleAssignment(principal, role, role == OpenAIHarness.KeyManagerRole ? "API Project Key Manager" : "API Group Manager", project), assigned);

        Assert.Equal(ChangeOutcome.Applied, (await manager.UnassignRoleAsync(principal, role, project, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await manager.UnassignRoleAsync(principal, role, project, Timeout)).Outcome);
        Assert.DoesNotContain(role, _harness.Sim.AssignedRoleIds(type, principalId, project));
        Assert.All(_harness.Control.Requests, r => Assert.StartsWith(path, r.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal(
            ["GET 404", "POST 200", "GET 200", "GET 200", "DELETE 200", "DELETE 404"],
            _harness.Control.Requests.Select(r => $"{r.Method} {r.Status}"));
    }

    [Fact]
    public async Task A_project_role_for_a_user_outside_the_project_brings_them_in_as_member()
    {
        var manager = _harness.Adapter<IRoleAssignmentManager>();

        await manager.AssignRoleAsync(new PrincipalRef(PrincipalKind.User, OpenAIHarness.NewcomerId), OpenAIHarness.KeyManagerRole, OpenAIHarness.ResearchProject, Timeout);

        Assert.Equal("member", _harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId));
    }

    [Fact]
    public async Task Service_accounts_hold_no_rbac_roles()
    {
        var reader = _harness.Adapter<IRoleReader>();
        _harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            reader.ListRoleAssignmentsAsync(new PrincipalRef(PrincipalKind.ServiceAccount, OpenAIHarness.CiServiceAccount), OpenAIHarness.ResearchProject, null, Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Empty(_harness.Control.Requests);
    }

    [Fact]
    public async Task Activity_reads_the_audit_log_in_a_window_with_actors_attributed()
    {
        var reader = _harness.Adapter<IActivityReader>(pageSize: 1);
        var query = new ActivityQuery(DateTimeOffset.FromUnixTimeSeconds(1735000000), DateTimeOffset.FromUnixTimeSeconds(1736000000));
        _harness.Control.ClearRequests();

        var events = new List<PlatformActivity>();
        await foreach (var activity in Pages.ReadAllAsync((token, ct) => reader.ListActivityAsync(query, token, ct), Timeout))
        {
            events.Add(activity);
        }

        Assert.Equal(["audit_log-key", "audit_log-login"], events.Select(e => e.Id));
        var key = events[0];
        Assert.Equal(("api_key.created", OpenAIHarness.DeveloperKey, OpenAIHarness.DeveloperId, "dev@example.test", OpenAIHarness.ResearchProject), (key.Type, key.ActorCredentialId, key.ActorAccountId, key.ActorEmail, key.ContainerId));
        Assert.Null(key.IpAddress);
        var login = events[1];
        Assert.Equal((OpenAIHarness.DeveloperId, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64)"), (login.ActorAccountId, login.IpAddress, login.UserAgent));
        Assert.Null(login.ActorCredentialId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735689600), login.OccurredAt);
        Assert.Equal(
            "/v1/organization/audit_logs?effective_at[gte]=1735000000&effective_at[lte]=1736000000&limit=1&after=audit_log-key",
            _harness.Control.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task Activity_includes_the_changes_the_adapter_made()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await _harness.Adapter<IMembershipGranter>().GrantMembershipAsync(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId, "member", Timeout);
        await _harness.Adapter<IAccountRemover>().RemoveAccountAsync(OpenAIHarness.RemovableId, Timeout);

        var recent = (await _harness.Adapter<IActivityReader>().ListActivityAsync(new ActivityQuery(since), null, Timeout)).Items;

        var removal = Assert.Single(recent, e => e.Type == "user.deleted");
        Assert.Equal(OpenAIHarness.AdminKeyId, removal.ActorCredentialId);
    }
}
