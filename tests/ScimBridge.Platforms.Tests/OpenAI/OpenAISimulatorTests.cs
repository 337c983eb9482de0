using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>
/// The simulator speaks the Admin API's wire format: every answer checked against the spec's schema, errors in
/// OpenAI's envelope with its types and codes, and the platform's rules (archived projects, service-account keys,
/// accepted invites, org membership before project membership) answered as 400s.
/// </summary>
public sealed class OpenAISimulatorTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("organization/users", "UserListResponse")]
    [InlineData("organization/users?emails[]=dev%40example.test", "UserListResponse")]
    [InlineData("organization/users/user-developer", "User")]
    [InlineData("organization/invites", "InviteListResponse")]
    [InlineData("organization/invites/invite-expired", "Invite")]
    [InlineData("organization/projects?include_archived=true", "ProjectListResponse")]
    [InlineData("organization/projects/proj_archived", "Project")]
    [InlineData("organization/projects/proj_research/users", "ProjectUserListResponse")]
    [InlineData("organization/projects/proj_research/users/user-developer", "ProjectUser")]
    [InlineData("organization/projects/proj_research/service_accounts", "ProjectServiceAccountListResponse")]
    [InlineData("organization/projects/proj_research/service_accounts/svc_acct_ci", "ProjectServiceAccount")]
    [InlineData("organization/projects/proj_research/api_keys?owner_project_access=any", "ProjectApiKeyListResponse")]
    [InlineData("organization/projects/proj_research/api_keys/key_svc_acct_ci", "ProjectApiKey")]
    [InlineData("organization/admin_api_keys", "ApiKeyList")]
    [InlineData("organization/admin_api_keys/key_admin_scimbridge", "AdminApiKey")]
    [InlineData("organization/audit_logs", "ListAuditLogsResponse")]
    [InlineData("organization/groups", "GroupListResource")]
    [InlineData("organization/groups/group_engineering", "GroupResponse")]
    [InlineData("organization/groups/group_engineering/users", "UserListResource")]
    [InlineData("organization/groups/group_engineering/users/user-developer", "GroupMemberUser")]
    [InlineData("organization/roles", "PublicRoleListResource")]
    [InlineData("organization/roles/role_org_reader", "Role")]
    [InlineData("projects/proj_research/roles", "PublicRoleListResource")]
    [InlineData("organization/users/user-developer/roles", "RoleListResource")]
    [InlineData("organization/users/user-developer/roles/role_org_group_manager", "AssignedRoleDetails")]
    public async Task Reads_answer_in_the_spec_schema(string path, string schema)
    {
        using var http = _harness.RawClient();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        await AssertSchemaAsync(response, schema);
    }

    [Fact]
    public async Task Writes_answer_in_the_spec_schema()
    {
        using var http = _harness.RawClient();

        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/invites", new { email = "new@example.test", role = "reader", projects = new[] { new { id = "proj_research", role = "owner" } } }), "Invite");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/projects", new { name = "Fresh" }), "Project");
        await AssertSchemaAsync(await http.PostAsync("organization/projects/proj_research/archive", null), "Project");

        // The project is archived now; the rest runs against a fresh one.
        var fresh = await ReadAsync(await http.PostAsJsonAsync("organization/projects", new { name = "Second" }));
        var project = fresh.GetProperty("id").GetString();
        await AssertSchemaAsync(await http.PostAsJsonAsync($"organization/projects/{project}/users", new { user_id = "user-newcomer", role = "member" }), "ProjectUser");
        await AssertSchemaAsync(await http.PostAsJsonAsync($"organization/projects/{project}/users/user-newcomer", new { role = "owner" }), "ProjectUser");
        await AssertSchemaAsync(await http.DeleteAsync($"organization/projects/{project}/users/user-newcomer"), "ProjectUserDeleteResponse");
        var created = await ReadAsync(await http.PostAsJsonAsync($"organization/projects/{project}/service_accounts", new { name = "bot" }));
        Assert.Empty(OpenApiSchemas.Check(created, "ProjectServiceAccountCreateResponse"));
        await AssertSchemaAsync(await http.DeleteAsync($"organization/projects/{project}/service_accounts/{created.GetProperty("id").GetString()}"), "ProjectServiceAccountDeleteResponse");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/users/user-newcomer", new { role = "owner" }), "User");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/groups", new { name = "Ops" }), "GroupResponse");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/groups/group_engineering/users", new { user_id = "user-newcomer" }), "GroupUserAssignment");
        await AssertSchemaAsync(await http.DeleteAsync("organization/groups/group_engineering/users/user-newcomer"), "GroupUserDeletedResource");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/users/user-newcomer/roles", new { role_id = "role_org_group_manager" }), "UserRoleAssignment");
        await AssertSchemaAsync(await http.DeleteAsync("organization/users/user-newcomer/roles/role_org_group_manager"), "DeletedRoleAssignmentResource");
        await AssertSchemaAsync(await http.PostAsJsonAsync("organization/groups/group_engineering/roles", new { role_id = "role_org_group_manager" }), "GroupRoleAssignment");
        await AssertSchemaAsync(await http.DeleteAsync("organization/groups/group_engineering"), "GroupDeletedResource");
        await AssertSchemaAsync(await http.DeleteAsync("organization/invites/invite-pending"), "InviteDeleteResponse");
        await AssertSchemaAsync(await http.DeleteAsync("organization/projects/proj_research/api_keys/key_user_developer"), "ProjectApiKeyDeleteResponse");
        await AssertSchemaAsync(await http.DeleteAsync("organization/users/user-removable"), "UserDeleteResponse");
    }

    [Fact]
    public async Task Errors_use_the_openai_envelope_with_its_types_and_codes()
    {
        using var wrong = _harness.RawClient("sk-admin-wrong");
        using var http = _harness.RawClient();

        var unauthorized = await ErrorAsync(await wrong.GetAsync("organization/users"), HttpStatusCode.Unauthorized);
        Assert.Equal(("invalid_request_error", "invalid_api_key"), (unauthorized.Type, unauthorized.Code));

        var notFound = await ErrorAsync(await http.GetAsync("organization/users/user-nobody"), HttpStatusCode.NotFound);
        Assert.Equal("invalid_request_error", notFound.Type);

        var unknownPath = await ErrorAsync(await http.GetAsync("organization/nothing-here"), HttpStatusCode.NotFound);
        Assert.Equal("invalid_request_error", unknownPath.Type);

        _harness.Control.ThrottleNext(1, 7);
        using var limited = await http.GetAsync("organization/users");
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        var rateLimited = await ErrorAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal(("requests", "rate_limit_exceeded"), (rateLimited.Type, rateLimited.Code));

        _harness.Control.FailNext(1, 503);
        var unavailable = await ErrorAsync(await http.GetAsync("organization/users"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("server_error", unavailable.Type);

        var badJson = await ErrorAsync(await http.PostAsync("organization/projects", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.StartsWith("We could not parse the JSON body of your request.", badJson.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("organization/users?limit=101", "limit")]
    [InlineData("organization/users?limit=0", "limit")]
    [InlineData("organization/groups?limit=1001", "limit")]
    [InlineData("organization/users?after=user-nobody", "after")]
    [InlineData("organization/projects/proj_research/api_keys?owner_project_access=all", "owner_project_access")]
    [InlineData("organization/groups?order=sideways", "order")]
    public async Task Out_of_range_parameters_are_400s_naming_the_parameter(string path, string param)
    {
        using var http = _harness.RawClient();

        var error = await ErrorAsync(await http.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public async Task Rbac_lists_take_up_to_1000_and_group_users_default_to_newest_first()
    {
        _harness.Sim.AddUsers(3);
        using var http = _harness.RawClient();
        foreach (var user in new[] { "user-gen-0000004", "user-gen-0000005", "user-gen-0000006" })
        {
            (await http.PostAsJsonAsync("organization/groups/group_engineering/users", new { user_id = user })).EnsureSuccessStatusCode();
        }

        var groups = await ReadAsync(await http.GetAsync("organization/groups?limit=1000"));
        var firstPage = await ReadAsync(await http.GetAsync("organization/groups/group_engineering/users?limit=2"));
        var secondPage = await ReadAsync(await http.GetAsync($"organization/groups/group_engineering/users?limit=2&after={firstPage.GetProperty("next").GetString()}"));

        Assert.Equal(2, groups.GetProperty("data").GetArrayLength());
        Assert.False(groups.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, groups.GetProperty("next").ValueKind);
        Assert.Equal(["user-gen-0000006", "user-gen-0000005"], Ids(firstPage));
        Assert.True(firstPage.GetProperty("has_more").GetBoolean());
        Assert.Equal(["user-gen-0000004", "user-developer"], Ids(secondPage));
        Assert.False(secondPage.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Classic_lists_page_with_after_last_id()
    {
        _harness.Sim.AddUsers(5);
        using var http = _harness.RawClient();

        var first = await ReadAsync(await http.GetAsync("organization/users?limit=4"));
        var second = await ReadAsync(await http.GetAsync($"organization/users?limit=4&after={first.GetProperty("last_id").GetString()}"));
        var third = await ReadAsync(await http.GetAsync($"organization/users?limit=4&after={second.GetProperty("last_id").GetString()}"));

        Assert.Equal(("list", "user-owner", "user-removable", true), (first.GetProperty("object").GetString(), first.GetProperty("first_id").GetString(), first.GetProperty("last_id").GetString(), first.GetProperty("has_more").GetBoolean()));
        Assert.Equal(4, second.GetProperty("data").GetArrayLength());
        Assert.Equal(["user-gen-0000008"], Ids(third));
        Assert.False(third.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_service_account_key_cannot_be_deleted_directly_but_goes_with_its_account()
    {
        using var http = _harness.RawClient();

        var error = await ErrorAsync(await http.DeleteAsync("organization/projects/proj_research/api_keys/key_svc_acct_ci"), HttpStatusCode.BadRequest);
        Assert.Contains("svc_acct_ci", error.Message, StringComparison.Ordinal);
        Assert.True(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiKey));

        (await http.DeleteAsync("organization/projects/proj_research/service_accounts/svc_acct_ci")).EnsureSuccessStatusCode();
        Assert.False(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiKey));
    }

    [Fact]
    public async Task A_new_service_account_key_is_shown_once_and_listed_redacted()
    {
        using var http = _harness.RawClient();

        var created = await ReadAsync(await http.PostAsJsonAsync("organization/projects/proj_research/service_accounts", new { name = "deploy" }));
        var value = created.GetProperty("api_key").GetProperty("value").GetString()!;
        var keyId = created.GetProperty("api_key").GetProperty("id").GetString()!;
        var listed = await ReadAsync(await http.GetAsync($"organization/projects/proj_research/api_keys/{keyId}"));
        var keyless = await ReadAsync(await http.PostAsJsonAsync("organization/projects/proj_research/service_accounts", new { name = "robot", create_service_account_only = true }));

        Assert.StartsWith("sk-svcacct-", value, StringComparison.Ordinal);
        Assert.Equal("service_account", listed.GetProperty("owner").GetProperty("type").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), listed.GetProperty("owner").GetProperty("service_account").GetProperty("id").GetString());
        Assert.DoesNotContain(value, listed.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, _harness.State().GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("none", JsonValueKind.Null), (keyless.GetProperty("role").GetString(), keyless.GetProperty("api_key").ValueKind));
    }

    [Fact]
    public async Task Project_rules_are_400s()
    {
        using var http = _harness.RawClient();

        var outsider = await ErrorAsync(await http.PostAsJsonAsync("organization/projects/proj_research/users", new { user_id = "user-stranger", role = "member" }), HttpStatusCode.BadRequest);
        Assert.Contains("not a member of the organization", outsider.Message, StringComparison.Ordinal);
        var twice = await ErrorAsync(await http.PostAsJsonAsync("organization/projects/proj_research/users", new { user_id = "user-developer", role = "member" }), HttpStatusCode.BadRequest);
        Assert.Equal("user_id", twice.Param);
        var badRole = await ErrorAsync(await http.PostAsJsonAsync("organization/projects/proj_research/users", new { user_id = "user-newcomer", role = "viewer" }), HttpStatusCode.BadRequest);
        Assert.Equal("role", badRole.Param);

        (await http.PostAsync("organization/projects/proj_research/archive", null)).EnsureSuccessStatusCode();
        var archived = await ErrorAsync(await http.DeleteAsync("organization/projects/proj_research/users/user-developer"), HttpStatusCode.BadRequest);
        Assert.Contains("rchived", archived.Message, StringComparison.Ordinal);
        Assert.Equal("member", _harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId));
        await ErrorAsync(await http.PostAsJsonAsync("organization/projects/proj_research/service_accounts", new { name = "late" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_accepted_invite_cannot_be_deleted()
    {
        using var http = _harness.RawClient();

        var error = await ErrorAsync(await http.DeleteAsync("organization/invites/invite-accepted"), HttpStatusCode.BadRequest);

        Assert.Contains("accepted", error.Message, StringComparison.Ordinal);
        Assert.Equal("accepted", _harness.Sim.InviteStatus(OpenAIHarness.AcceptedInvite));
    }

    [Fact]
    public async Task Removing_a_user_from_a_project_leaves_their_keys_inactive()
    {
        using var http = _harness.RawClient();

        (await http.DeleteAsync("organization/projects/proj_research/users/user-developer")).EnsureSuccessStatusCode();
        var active = await ReadAsync(await http.GetAsync("organization/projects/proj_research/api_keys"));
        var inactive = await ReadAsync(await http.GetAsync("organization/projects/proj_research/api_keys?owner_project_access=inactive"));

        Assert.Equal(["key_svc_acct_ci"], Ids(active));
        Assert.Equal(["key_user_developer"], Ids(inactive));
    }

    [Fact]
    public async Task Audit_logs_filter_by_time_and_type_newest_first_and_record_the_simulators_own_changes()
    {
        using var http = _harness.RawClient();

        var window = await ReadAsync(await http.GetAsync("organization/audit_logs?effective_at[gte]=1720000000&effective_at[lt]=1735776000"));
        var typed = await ReadAsync(await http.GetAsync("organization/audit_logs?event_types[]=api_key.created"));
        (await http.DeleteAsync("organization/users/user-removable")).EnsureSuccessStatusCode();
        var latest = await ReadAsync(await http.GetAsync("organization/audit_logs?limit=1"));

        Assert.Equal(["audit_log-login", "audit_log-archive"], Ids(window));
        Assert.Equal(["audit_log-key"], Ids(typed));
        var entry = latest.GetProperty("data")[0];
        Assert.Equal("user.deleted", entry.GetProperty("type").GetString());
        Assert.Equal("user-removable", entry.GetProperty("user.deleted").GetProperty("id").GetString());
        Assert.Equal("key_admin_scimbridge", entry.GetProperty("actor").GetProperty("api_key").GetProperty("id").GetString());
        Assert.Empty(OpenApiSchemas.Check(latest, "ListAuditLogsResponse"));
    }

    [Fact]
    public async Task A_snapshot_seeds_an_identical_simulator()
    {
        using var http = _harness.RawClient();
        (await http.PostAsJsonAsync("organization/projects/proj_research/users", new { user_id = "user-newcomer", role = "owner" })).EnsureSuccessStatusCode();
        var snapshot = _harness.State().GetRawText();

        await using var copy = new OpenAIHarness();
        await copy.StartAsync();
        copy.Seed(snapshot);

        Assert.Equal(snapshot, copy.State().GetRawText());
        Assert.Equal("owner", copy.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.NewcomerId));
        Assert.Equal([OpenAIHarness.GroupManagerRole], copy.Sim.AssignedRoleIds("user", OpenAIHarness.DeveloperId, null));
    }

    private static async Task AssertSchemaAsync(HttpResponseMessage response, string schema)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            using var document = JsonDocument.Parse(body);
            var problems = OpenApiSchemas.Check(document.RootElement, schema);
            Assert.True(problems.Count == 0, $"{schema}: {string.Join("; ", problems)}\n{body}");
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
    }

    private static async Task<(string Type, string? Code, string Message, string? Param)> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Empty(OpenApiSchemas.Check(document.RootElement, "ErrorResponse"));
            var error = document.RootElement.GetProperty("error");
            return (
                error.GetProperty("type").GetString()!,
                error.GetProperty("code").GetString(),
                error.GetProperty("message").GetString()!,
                error.GetProperty("param").GetString());
        }
    }

    private static List<string> Ids(JsonElement list) => [.. list.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
