using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.OpenAI;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>
/// The spec's own example responses (Recorded/openai, see its README) read by the real client and adapter, through a
/// stub handler that answers by path: proof the wire types match what OpenAI documents, independent of the simulator.
/// </summary>
public sealed class OpenAIRecordedBodiesTests
{
    private const string EmptyList = """{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""";

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Users_list_maps_to_accounts()
    {
        var (adapter, stub) = Create(("GET", "organization/users", Recorded("users-list.json")));

        var page = await adapter.ListAccountsAsync(null, Timeout);

        var user = Assert.Single(page.Items);
        Assert.Equal(("user_abc", "user@example.com", "First Last", "owner"), (user.Id, user.Email, user.Name, user.Role));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1711471533), user.AddedAt);
        Assert.Equal(AccountStatus.Active, user.Status);
        Assert.Null(page.NextPageToken);
        Assert.Equal("/v1/organization/users?limit=100", stub.Requests[0].PathAndQuery);
    }

    [Theory]
    [InlineData("invites-list.json")]
    [InlineData("invites-list-2025.json")]
    public async Task Invites_list_reads_created_at_and_the_2025_invited_at(string file)
    {
        var (adapter, _) = Create(("GET", "organization/invites", Recorded(file)));

        var invite = Assert.Single((await adapter.ListInvitationsAsync(null, Timeout)).Items);

        Assert.Equal(("invite-abc", "user@example.com", "owner", InvitationStatus.Accepted), (invite.Id, invite.Email, invite.Role, invite.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1711471533), invite.CreatedAt);
    }

    [Fact]
    public async Task Invite_create_sends_the_project_assignments_and_reads_the_new_invite()
    {
        var (adapter, stub) = Create(
            ("GET", "organization/users", EmptyList),
            ("GET", "organization/invites", Recorded("invites-list.json")),
            ("POST", "organization/invites", Recorded("invite-create.json")));

        var result = await adapter.InviteAsync(
            new AccountInvitation("anotheruser@example.com", null, "reader", [new ContainerGrant("project-xyz", "member"), new ContainerGrant("project-abc", "owner")]),
            Timeout);

        Assert.Equal(new InviteResult(InviteOutcome.Invited, "invite-def"), result);
        Assert.Equal("/v1/organization/users?emails[]=anotheruser%40example.com&limit=100", stub.Requests[0].PathAndQuery);
        using var sent = JsonDocument.Parse(stub.Requests[^1].Body!);
        Assert.Equal("anotheruser@example.com", sent.RootElement.GetProperty("email").GetString());
        Assert.Equal("reader", sent.RootElement.GetProperty("role").GetString());
        Assert.Equal(
            ["project-xyz:member", "project-abc:owner"],
            sent.RootElement.GetProperty("projects").EnumerateArray().Select(p => $"{p.GetProperty("id").GetString()}:{p.GetProperty("role").GetString()}"));
    }

    [Fact]
    public async Task Projects_list_and_archive_map_to_containers()
    {
        var project = JsonDocument.Parse(Recorded("projects-list.json")).RootElement.GetProperty("data")[0].GetRawText();
        var (adapter, stub) = Create(
            ("GET", "organization/projects/proj_abc", project),
            ("GET", "organization/projects", Recorded("projects-list.json")),
            ("POST", "organization/projects/proj_abc/archive", Recorded("project-archived.json")));

        var container = Assert.Single((await adapter.ListContainersAsync(null, Timeout)).Items);
        var archived = await adapter.ArchiveContainerAsync("proj_abc", Timeout);

        Assert.Equal(("proj_abc", "Project example", ContainerKind.Project, false), (container.Id, container.Name, container.Kind, container.Archived));
        Assert.Equal("/v1/organization/projects?limit=100&include_archived=true", stub.Requests[0].PathAndQuery);
        Assert.Equal(ChangeOutcome.Applied, archived.Outcome);
        Assert.Equal("POST /v1/organization/projects/proj_abc/archive", stub.Requests[^1].ToString());
    }

    [Fact]
    public async Task Project_users_list_maps_to_members()
    {
        var (adapter, _) = Create(("GET", "organization/projects/proj_abc/users", Recorded("project-users-list.json")));

        var member = Assert.Single((await adapter.ListMembersAsync("proj_abc", null, Timeout)).Items);

        Assert.Equal(new ContainerMember("proj_abc", "user_abc", "user@example.com", "First Last", "owner"), member);
    }

    [Fact]
    public async Task Credentials_read_admin_keys_project_keys_and_service_accounts_with_their_owners()
    {
        var (adapter, stub) = Create(
            ("GET", "organization/admin_api_keys", Recorded("admin-api-keys-list.json")),
            ("GET", "organization/projects?limit=1&after=proj_abc", EmptyList),
            ("GET", "organization/projects?limit=1", Recorded("projects-list.json")),
            ("GET", "organization/projects/proj_abc/api_keys", Recorded("project-api-keys-list.json")),
            ("GET", "organization/projects/proj_abc/service_accounts", Recorded("service-accounts-list.json")));

        var credentials = new List<PlatformCredential>();
        await foreach (var credential in Pages.ReadAllAsync(adapter.ListCredentialsAsync, Timeout))
        {
            credentials.Add(credential);
        }

        Assert.Equal(
            ["AdminKey key_abc", "ApiKey key_abc", "ServiceAccount svc_acct_abc"],
            credentials.Select(c => $"{c.Kind} {c.Id}"));
        var admin = credentials[0];
        Assert.Equal(("sk-admin...def", "Main Admin Key"), (admin.RedactedValue, admin.Name));
        Assert.Equal(new CredentialOwner(PrincipalKind.ServiceAccount, "sa_456", null, "My Service Account"), admin.Owner);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1714063533), admin.ExpiresAt);
        var key = credentials[1];
        Assert.Equal(new CredentialOwner(PrincipalKind.User, "user_abc", "user@example.com", "First Last"), key.Owner);
        Assert.Equal(("proj_abc", "sk-abc...def", CredentialStatus.Active), (key.ContainerId, key.RedactedValue, key.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1711471534), key.LastUsedAt);
        Assert.Equal(("owner", "proj_abc"), (credentials[2].Role, credentials[2].ContainerId));
        Assert.Contains(stub.Requests, r => r.PathAndQuery == "/v1/organization/projects/proj_abc/api_keys?limit=100&owner_project_access=any");
    }

    [Fact]
    public async Task Service_account_create_hands_back_the_key_once_as_a_secret()
    {
        var (adapter, _) = Create(("POST", "organization/projects/proj_abc/service_accounts", Recorded("service-account-create.json")));

        var issued = await adapter.IssueCredentialAsync("proj_abc", "Production App", Timeout);

        Assert.Equal("sk-abcdefghijklmnop123", issued.Secret.Reveal());
        Assert.Equal("***", issued.Secret.ToString());
        Assert.Equal(("svc_acct_abc", CredentialKind.ServiceAccount, "member", "proj_abc"), (issued.Credential.Id, issued.Credential.Kind, issued.Credential.Role, issued.Credential.ContainerId));
        Assert.DoesNotContain("sk-abcdefghijklmnop123", issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_key_delete_reads_the_deleted_answer()
    {
        var (adapter, stub) = Create(("DELETE", "organization/projects/proj_abc/api_keys/key_abc", Recorded("project-api-key-deleted.json")));

        var result = await adapter.DeleteCredentialAsync(new CredentialRef("key_abc", CredentialKind.ApiKey, "proj_abc"), Timeout);

        Assert.Equal(ChangeOutcome.Applied, result.Outcome);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task Audit_log_actors_map_to_account_email_ip_and_user_agent()
    {
        var (adapter, stub) = Create(("GET", "organization/audit_logs", Recorded("audit-logs-list.json")));

        var page = await adapter.ListActivityAsync(new ActivityQuery(DateTimeOffset.FromUnixTimeSeconds(1720000000), DateTimeOffset.FromUnixTimeSeconds(1730000000)), null, Timeout);

        Assert.Equal(2, page.Items.Count);
        var archived = page.Items[0];
        Assert.Equal(("project.archived", "user-xxx", "user@example.com"), (archived.Type, archived.ActorAccountId, archived.ActorEmail));
        Assert.Null(archived.IpAddress);
        var session = page.Items[1];
        Assert.Equal(("api_key.updated", "user-xxx", "127.0.0.1"), (session.Type, session.ActorAccountId, session.IpAddress));
        Assert.StartsWith("Mozilla/5.0 (Windows NT 10.0", session.UserAgent, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1720804190), session.OccurredAt);

        // has_more with a last_id: the next page starts after it.
        Assert.Equal("audit_log_yyy__20240101", page.NextPageToken);
        Assert.Equal("/v1/organization/audit_logs?effective_at[gte]=1720000000&effective_at[lte]=1730000000&limit=100", stub.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Groups_group_users_and_roles_read_the_rbac_envelope()
    {
        var (adapter, stub) = Create(
            ("GET", "organization/groups/group_01J1F8ABCDXYZ/users", Recorded("group-users-list.json")),
            ("GET", "organization/groups", Recorded("groups-list.json")),
            ("GET", "organization/roles", Recorded("roles-list.json")),
            ("GET", "projects/proj_abc/roles", Recorded("project-roles-list.json")),
            ("GET", "organization/users/user_abc123/roles", Recorded("user-role-assignments-list.json")));

        var groups = await adapter.ListGroupsAsync(null, Timeout);
        var members = await adapter.ListGroupMembersAsync("group_01J1F8ABCDXYZ", null, Timeout);
        var roles = await adapter.ListRolesAsync(null, null, Timeout);
        var projectRoles = await adapter.ListRolesAsync("proj_abc", null, Timeout);
        var assigned = await adapter.ListRoleAssignmentsAsync(new PrincipalRef(PrincipalKind.User, "user_abc123"), null, null, Timeout);

        var group = Assert.Single(groups.Items);
        Assert.Equal(("group_01J1F8ABCDXYZ", "Support Team", false), (group.Id, group.Name, group.IsScimManaged));
        Assert.Null(groups.NextPageToken);
        Assert.Equal(new GroupMember("group_01J1F8ABCDXYZ", "user_abc123"), Assert.Single(members.Items));
        var role = Assert.Single(roles.Items);
        Assert.Equal(("role_01J1F8ROLE01", "API Group Manager", false, "Allows managing organization groups"), (role.Id, role.Name, role.Predefined, role.Description));
        Assert.Equal(["api.groups.read", "api.groups.write"], role.Permissions);
        Assert.Equal(("role_01J1F8PROJ", "proj_abc"), (Assert.Single(projectRoles.Items).Id, projectRoles.Items[0].ContainerId));
        Assert.Equal(new RoleAssignment(new PrincipalRef(PrincipalKind.User, "user_abc123"), "role_01J1F8ROLE01", "API Group Manager", null), Assert.Single(assigned.Items));

        // Project roles live under /projects, without the /organization prefix the other routes have.
        Assert.Contains(stub.Requests, r => r.PathAndQuery == "/v1/projects/proj_abc/roles?limit=100");
        Assert.Contains(stub.Requests, r => r.PathAndQuery == "/v1/organization/groups?limit=100");
    }

    private static string Recorded(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", "openai", file));

    /// <summary>An adapter on a stub that answers each request with the first route whose method matches and whose
    /// "path?query" starts with the given prefix (relative to /v1/); anything else is a 404 in OpenAI's envelope.</summary>
    private static (OpenAIAdapter Adapter, StubHandler Stub) Create(params (string Method, string Prefix, string Body)[] routes)
    {
        var stub = new StubHandler(routes);
        var http = new HttpClient(stub) { BaseAddress = new Uri("https://api.openai.com/v1/") };
        var options = new OpenAIOptions { ApiKey = "sk-admin-recorded" };
        var target = new PlatformTarget("recorded", "openai");
        var client = new OpenAIClient(http, target, options, NullLogger<OpenAIClient>.Instance, TimeProvider.System);
        return (new OpenAIAdapter(target, client, TimeProvider.System, NullLogger<OpenAIAdapter>.Instance), stub);
    }

    private sealed record SeenRequest(string Method, string PathAndQuery, string? Body)
    {
        public override string ToString() => $"{Method} {PathAndQuery}";
    }

    private sealed class StubHandler((string Method, string Prefix, string Body)[] routes) : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var pathAndQuery = request.RequestUri!.PathAndQuery;
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new SeenRequest(request.Method.Method, pathAndQuery, body));
            var relative = pathAndQuery["/v1/".Length..];
            foreach (var (method, prefix, answer) in routes)
            {
                if (method == request.Method.Method && (relative == prefix || relative.StartsWith(prefix + "?", StringComparison.Ordinal) || (prefix.Contains('?', StringComparison.Ordinal) && relative.StartsWith(prefix, StringComparison.Ordinal))))
                {
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
                }
            }

            return new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"error":{"code":null,"message":"stub: no route","param":null,"type":"invalid_request_error"}}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
