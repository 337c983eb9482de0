using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>The simulator speaks the Admin API's wire format: raw HTTP in, the documented envelopes and errors out.</summary>
public sealed class AnthropicSimulatorTests : IAsyncLifetime
{
    private readonly AnthropicHarness _harness = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _harness.StartAsync();
        _http = new HttpClient { BaseAddress = _harness.Running.Root };
        _http.DefaultRequestHeaders.Add("x-api-key", _harness.AdminKey);
        _http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task A_request_without_anthropic_version_gets_the_real_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/organizations/users");
        request.Headers.Add("x-api-key", _harness.AdminKey);
        using var bare = new HttpClient { BaseAddress = _harness.Running.Root };

        using var response = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(("invalid_request_error", "anthropic-version: header is required"), error);
    }

    [Fact]
    public async Task A_wrong_admin_key_gets_authentication_error_with_a_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/organizations/me");
        request.Headers.Add("x-api-key", "sk-ant-admin01-wrong");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var bare = new HttpClient { BaseAddress = _harness.Running.Root };

        using var response = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("authentication_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("req_", body.RootElement.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(body.RootElement.GetProperty("request_id").GetString(), response.Headers.GetValues("request-id").Single());
    }

    [Fact]
    public async Task A_throttled_request_gets_rate_limit_error_and_retry_after()
    {
        _harness.Control.ThrottleNext(requests: 1, retryAfterSeconds: 7);

        using var response = await _http.GetAsync("v1/organizations/users");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_error", (await ErrorAsync(response)).Type);
    }

    [Theory]
    [InlineData(529, "overloaded_error")]
    [InlineData(500, "api_error")]
    public async Task Server_faults_use_the_platform_error_types(int status, string type)
    {
        _harness.Control.FailNext(requests: 1, status: status);

        using var response = await _http.GetAsync("v1/organizations/users");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(type, (await ErrorAsync(response)).Type);
    }

    [Fact]
    public async Task Lists_use_the_envelope_without_an_object_field_and_page_both_ways()
    {
        _harness.Sim.AddUsers(6);

        using var first = JsonDocument.Parse(await _http.GetStringAsync("v1/organizations/users?limit=4"));
        var root = first.RootElement;
        Assert.Equal(["data", "has_more", "first_id", "last_id"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("has_more").GetBoolean());
        var ids = root.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).ToList();
        Assert.Equal([AnthropicHarness.AdminUserId, AnthropicHarness.DeveloperId, AnthropicHarness.NewcomerId, AnthropicHarness.RemovableId], ids);
        Assert.Equal((ids[0], ids[^1]), (root.GetProperty("first_id").GetString(), root.GetProperty("last_id").GetString()));

        using var next = JsonDocument.Parse(await _http.GetStringAsync($"v1/organizations/users?limit=4&after_id={ids[^1]}"));
        Assert.Equal(4, next.RootElement.GetProperty("data").GetArrayLength());
        Assert.True(next.RootElement.GetProperty("has_more").GetBoolean());

        using var back = JsonDocument.Parse(await _http.GetStringAsync($"v1/organizations/users?limit=2&before_id={ids[^1]}"));
        Assert.Equal(ids[1..3], back.RootElement.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
        Assert.True(back.RootElement.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_user_reads_as_the_docs_show_it()
    {
        using var user = JsonDocument.Parse(await _http.GetStringAsync($"v1/organizations/users/{AnthropicHarness.DeveloperId}"));

        Assert.Equal(
            """{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","email":"user@emaildomain.com","name":"Jane Doe","role":"developer","added_at":"2024-10-30T23:58:27.427722Z","type":"user"}""",
            user.RootElement.GetRawText());
    }

    [Theory]
    [InlineData("v1/organizations/users?limit=0")]
    [InlineData("v1/organizations/users?limit=1001")]
    [InlineData("v1/organizations/users?limit=ten")]
    [InlineData("v1/organizations/invites?statuses[]=deleted")]
    [InlineData("v1/organizations/api_keys?status=revoked")]
    [InlineData("v1/organizations/workspaces?include_archived=maybe")]
    public async Task Bad_query_parameters_are_invalid_request_errors(string path)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ErrorAsync(response)).Type);
    }

    [Fact]
    public async Task Filters_narrow_users_invites_and_api_keys()
    {
        using var byEmail = JsonDocument.Parse(await _http.GetStringAsync("v1/organizations/users?email=USER@emaildomain.com"));
        Assert.Equal(AnthropicHarness.DeveloperId, byEmail.RootElement.GetProperty("data")[0].GetProperty("id").GetString());

        using var developers = JsonDocument.Parse(await _http.GetStringAsync("v1/organizations/users?roles[]=developer&roles[]=admin"));
        Assert.Equal(2, developers.RootElement.GetProperty("data").GetArrayLength());

        using var expired = JsonDocument.Parse(await _http.GetStringAsync("v1/organizations/invites?statuses[]=expired"));
        var invite = Assert.Single(expired.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(AnthropicHarness.ExpiredInviteId, invite.GetProperty("id").GetString());

        using var keys = JsonDocument.Parse(await _http.GetStringAsync(
            $"v1/organizations/api_keys?status=active&workspace_id={AnthropicHarness.WorkspaceId}&created_by_user_id={AnthropicHarness.DeveloperId}"));
        var key = Assert.Single(keys.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(AnthropicHarness.ActiveKeyId, key.GetProperty("id").GetString());
        Assert.Equal("workspace", key.GetProperty("scope").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Admin_cannot_be_assigned_and_workspace_billing_cannot_be_added()
    {
        using var admin = await _http.PostAsJsonAsync($"v1/organizations/users/{AnthropicHarness.NewcomerId}", new { role = "admin" });
        using var billing = await _http.PostAsJsonAsync(
            $"v1/organizations/workspaces/{AnthropicHarness.WorkspaceId}/members",
            new { user_id = AnthropicHarness.NewcomerId, workspace_role = "workspace_billing" });
        using var adminInvite = await _http.PostAsJsonAsync("v1/organizations/invites", new { email = "x@example.test", role = "admin" });

        foreach (var response in new[] { admin, billing, adminInvite })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request_error", (await ErrorAsync(response)).Type);
        }

        Assert.Equal("user", _harness.Sim.FindUser(AnthropicHarness.NewcomerId)!.Role);
        Assert.Null(_harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.NewcomerId));
    }

    [Fact]
    public async Task Deletes_answer_their_documented_receipts_then_404()
    {
        using var member = await _http.DeleteAsync($"v1/organizations/workspaces/{AnthropicHarness.WorkspaceId}/members/{AnthropicHarness.DeveloperId}");
        using var user = await _http.DeleteAsync($"v1/organizations/users/{AnthropicHarness.RemovableId}");
        using var invite = await _http.DeleteAsync($"v1/organizations/invites/{AnthropicHarness.PendingInviteId}");
        using var again = await _http.DeleteAsync($"v1/organizations/users/{AnthropicHarness.RemovableId}");

        Assert.Equal(
            $$"""{"user_id":"{{AnthropicHarness.DeveloperId}}","workspace_id":"{{AnthropicHarness.WorkspaceId}}","type":"workspace_member_deleted"}""",
            await member.Content.ReadAsStringAsync());
        Assert.Equal($$"""{"id":"{{AnthropicHarness.RemovableId}}","type":"user_deleted"}""", await user.Content.ReadAsStringAsync());
        Assert.Equal($$"""{"id":"{{AnthropicHarness.PendingInviteId}}","type":"invite_deleted"}""", await invite.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("not_found_error", (await ErrorAsync(again)).Type);
    }

    [Fact]
    public async Task Api_keys_have_no_create_and_an_archived_key_stays_archived()
    {
        using var create = await _http.PostAsJsonAsync("v1/organizations/api_keys", new { name = "new" });
        using var delete = await _http.DeleteAsync($"v1/organizations/api_keys/{AnthropicHarness.ActiveKeyId}");
        using var revive = await _http.PostAsJsonAsync($"v1/organizations/api_keys/{AnthropicHarness.ArchivedKeyId}", new { status = "active" });

        Assert.False(create.IsSuccessStatusCode);
        Assert.False(delete.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, revive.StatusCode);
        Assert.NotNull(_harness.Sim.FindApiKey(AnthropicHarness.ActiveKeyId));
        Assert.Equal("archived", _harness.Sim.FindApiKey(AnthropicHarness.ArchivedKeyId)!.Status);
    }

    [Fact]
    public async Task A_created_workspace_carries_the_full_documented_shape()
    {
        using var response = await _http.PostAsJsonAsync("v1/organizations/workspaces", new { name = "  Research  " });

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var workspace = body.RootElement;
        Assert.Equal("workspace", workspace.GetProperty("type").GetString());
        Assert.Equal("Research", workspace.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, workspace.GetProperty("archived_at").ValueKind);
        Assert.Equal("us", workspace.GetProperty("data_residency").GetProperty("workspace_geo").GetString());
        Assert.Equal("unrestricted", workspace.GetProperty("data_residency").GetProperty("allowed_inference_geos").GetString());
        Assert.EndsWith("Z", workspace.GetProperty("created_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_state_snapshot_is_the_seed_format()
    {
        using var state = JsonDocument.Parse(await _http.GetStringAsync("_sim/state"));

        Assert.Equal(
            ["organization", "users", "invites", "workspaces", "workspace_members", "api_keys", "claude_code_usage"],
            state.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, state.RootElement.GetProperty("users").GetArrayLength());
        Assert.Equal("expired", state.RootElement.GetProperty("invites")[1].GetProperty("status").GetString());

        // Feeding the snapshot back as a seed reproduces the state.
        using var reseed = await _http.PostAsync("_sim/seed", new StringContent(state.RootElement.GetRawText()));
        Assert.Equal(HttpStatusCode.NoContent, reseed.StatusCode);
        Assert.Equal(4, _harness.Sim.UserCount);
        Assert.Equal("workspace_developer", _harness.Sim.MemberRole(AnthropicHarness.WorkspaceId, AnthropicHarness.DeveloperId));
    }

    private static async Task<(string? Type, string? Message)> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        var error = body.RootElement.GetProperty("error");
        return (error.GetProperty("type").GetString(), error.GetProperty("message").GetString());
    }
}
