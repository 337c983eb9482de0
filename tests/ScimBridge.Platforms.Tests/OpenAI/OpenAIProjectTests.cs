using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>Projects and project membership through the adapter, against the simulator.</summary>
public sealed class OpenAIProjectTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Containers_are_projects_archived_ones_included_and_flagged()
    {
        var adapter = _harness.Adapter<IContainerReader>();
        _harness.Control.ClearRequests();

        var containers = (await adapter.ListContainersAsync(null, Timeout)).Items;

        Assert.Equal(
            [(OpenAIHarness.ResearchProject, "Research", false), (OpenAIHarness.ArchivedProject, "Old Experiments", true)],
            containers.Select(c => (c.Id, c.Name, c.Archived)));
        Assert.All(containers, c => Assert.Equal(ContainerKind.Project, c.Kind));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1711471533), containers[0].CreatedAt);
        Assert.Contains("include_archived=true", _harness.Control.Requests.Single().PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_list_with_their_project_roles()
    {
        var adapter = _harness.Adapter<IContainerReader>();

        var members = (await adapter.ListMembersAsync(OpenAIHarness.ResearchProject, null, Timeout)).Items;

        Assert.Equal(
            [
                new ContainerMember(OpenAIHarness.ResearchProject, OpenAIHarness.OwnerId, "ada@example.test", "Ada Owner", "owner"),
                new ContainerMember(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId, "dev@example.test", "Dev Eloper", "member"),
            ],
            members);
    }

    [Fact]
    public async Task A_created_project_can_be_archived_once()
    {
        var adapter = _harness.Adapter<IContainerManager>();

        var created = await adapter.CreateContainerAsync("Governed", Timeout);
        var archived = await adapter.ArchiveContainerAsync(created.Id, Timeout);
        var again = await adapter.ArchiveContainerAsync(created.Id, Timeout);

        Assert.StartsWith("proj_", created.Id, StringComparison.Ordinal);
        Assert.Equal(("Governed", ContainerKind.Project, false), (created.Name, created.Kind, created.Archived));
        Assert.Equal((ChangeOutcome.Applied, ChangeOutcome.AlreadyInState), (archived.Outcome, again.Outcome));
        Assert.True(_harness.Sim.ProjectArchived(created.Id));
        Assert.Equal(PlatformErrorKind.NotFound, (await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.ArchiveContainerAsync("proj_missing", Timeout))).Kind);
    }

    [Fact]
    public async Task Creates_are_not_retried_after_a_server_error_because_they_may_have_happened()
    {
        var containers = _harness.Adapter<IContainerManager>();
        var issuer = _harness.Adapter<ICredentialIssuer>();

        _harness.Control.ClearRequests();
        _harness.Control.FailNext(1, 502);
        var project = await Assert.ThrowsAsync<PlatformTransientException>(() => containers.CreateContainerAsync("Maybe", Timeout));
        Assert.Equal(PlatformErrorKind.Unavailable, project.Kind);
        Assert.Single(_harness.Control.Requests);

        _harness.Control.ClearRequests();
        _harness.Control.FailNext(1, 500);
        await Assert.ThrowsAsync<PlatformTransientException>(() => issuer.IssueCredentialAsync(OpenAIHarness.ResearchProject, "maybe", Timeout));
        Assert.Single(_harness.Control.Requests);

        // A 429 guarantees nothing was created, so that one is retried.
        _harness.Control.ClearRequests();
        _harness.Control.ThrottleNext(1, 1);
        var created = await containers.CreateContainerAsync("After throttle", Timeout);
        Assert.Equal([429, 200], _harness.Control.Requests.Select(r => r.Status));
        Assert.False(_harness.Sim.ProjectArchived(created.Id));
    }

    [Fact]
    public async Task Granting_reads_first_then_adds_or_changes_the_role()
    {
        var adapter = _harness.Adapter<IMembershipGranter>();
        _harness.Control.ClearRequests();

        await adapter.GrantMembershipAsync(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId, "member", Timeout);
        var add = _harness.Control.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Status}").ToList();
        _harness.Control.ClearRequests();
        await adapter.GrantMembershipAsync(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId, "owner", Timeout);
        var modify = _harness.Control.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Status}").ToList();

        Assert.Equal(
            ["GET /v1/organization/projects/proj_research/users/user-newcomer 404", "POST /v1/organization/projects/proj_research/users 200"],
            add);
        Assert.Equal(
            ["GET /v1/organization/projects/proj_research/users/user-newcomer 200", "POST /v1/organization/projects/proj_research/users/user-newcomer 200"],
            modify);
        Assert.Equal("owner", _harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId));
    }

    [Fact]
    public async Task Granting_to_someone_outside_the_organization_is_a_validation_error()
    {
        var adapter = _harness.Adapter<IMembershipGranter>();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            adapter.GrantMembershipAsync(OpenAIHarness.ResearchProject, "user-stranger", "member", Timeout));

        Assert.Equal((PlatformErrorKind.Validation, 400), (error.Kind, error.StatusCode));
        Assert.Contains("not a member of the organization", error.Message, StringComparison.Ordinal);
        Assert.Null(_harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, "user-stranger"));
    }

    [Fact]
    public async Task Revoking_in_an_archived_project_is_an_error_not_success()
    {
        var adapter = _harness.Adapter<IMembershipRevoker>();
        await _harness.Adapter<IContainerManager>().ArchiveContainerAsync(OpenAIHarness.ResearchProject, Timeout);

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            adapter.RevokeMembershipAsync(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId, Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Equal("member", _harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId));
    }

    [Fact]
    public async Task Revoking_from_an_unknown_project_counts_as_already_absent()
    {
        var adapter = _harness.Adapter<IMembershipRevoker>();

        var result = await adapter.RevokeMembershipAsync("proj_missing", OpenAIHarness.DeveloperId, Timeout);

        Assert.Equal(ChangeOutcome.AlreadyInState, result.Outcome);
    }
}
