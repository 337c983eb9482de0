using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Anthropic;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>
/// The Admin API reference's own example bodies (Recorded/anthropic, sources in its README) parsed through
/// <see cref="AnthropicClient"/> and mapped by <see cref="AnthropicAdapter"/>: proves the wire types match the docs,
/// independently of the simulator, which shares no code with the adapter.
/// </summary>
public sealed class AnthropicRecordedBodiesTests
{
    private readonly RecordedHandler _handler = new();

    private AnthropicClient Client { get; }

    private AnthropicAdapter Adapter { get; }

    public AnthropicRecordedBodiesTests()
    {
        var target = new PlatformTarget("recorded", "anthropic");
        var http = new HttpClient(_handler) { BaseAddress = new Uri("https://api.anthropic.com/") };
        Client = new AnthropicClient(http, target, new AnthropicOptions { ApiKey = "sk-ant-admin01-recorded", PageSize = 50 }, NullLogger<AnthropicClient>.Instance, TimeProvider.System);
        Adapter = new AnthropicAdapter(target, Client, NullLogger<AnthropicAdapter>.Instance, TimeProvider.System);
    }

    [Fact]
    public async Task Organization_me_reads_the_docs_example()
    {
        _handler.Answer("organization-me.json");

        var health = await Adapter.ValidateAsync(CancellationToken.None);

        Assert.True(health.Healthy);
        Assert.Contains("Organization Name", health.Detail, StringComparison.Ordinal);
        Assert.Equal("/v1/organizations/me", _handler.Requests.Single().AbsolutePath);
    }

    [Fact]
    public async Task Users_list_maps_to_accounts_and_continues_after_last_id()
    {
        _handler.Answer("users-list.json");

        var page = await Adapter.ListAccountsAsync("user_01Previous", CancellationToken.None);

        var user = Assert.Single(page.Items);
        Assert.Equal("user_01WCz1FkmYMm4gnmykNKUu3Q", user.Id);
        Assert.Equal("user@emaildomain.com", user.Email);
        Assert.Equal("Jane Doe", user.Name);
        Assert.Equal("user", user.Role);
        Assert.Equal(new DateTimeOffset(2024, 10, 30, 23, 58, 27, TimeSpan.Zero).AddTicks(4277220), user.AddedAt);
        Assert.Equal("last_id", page.NextPageToken); // has_more: true
        Assert.Equal("?limit=50&after_id=user_01Previous", _handler.Requests.Single().Query);
    }

    [Fact]
    public async Task Invite_create_and_list_read_the_docs_examples()
    {
        _handler.Answer("invite-create.json");
        var invite = await Client.CreateInviteAsync("user@emaildomain.com", "user", CancellationToken.None);
        Assert.Equal("invite_015gWxCN9Hfg2QhZwTK7Mdeu", invite.Id);
        Assert.Equal("pending", invite.Status);
        Assert.Equal(new DateTimeOffset(2024, 11, 20, 23, 58, 27, TimeSpan.Zero).AddTicks(4277220), invite.ExpiresAt);

        _handler.Answer("invites-list.json");
        var page = await Adapter.ListInvitationsAsync(null, CancellationToken.None);
        var listed = Assert.Single(page.Items);
        Assert.Equal(("invite_015gWxCN9Hfg2QhZwTK7Mdeu", "user@emaildomain.com", "user", InvitationStatus.Pending), (listed.Id, listed.Email, listed.Role, listed.Status));
        Assert.Empty(listed.Containers);
        Assert.Equal("last_id", page.NextPageToken);
    }

    [Fact]
    public async Task Workspaces_list_maps_archived_at_to_an_archived_container()
    {
        _handler.Answer("workspaces-list.json");

        var page = await Adapter.ListContainersAsync(null, CancellationToken.None);

        var workspace = Assert.Single(page.Items);
        Assert.Equal(("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "Workspace Name", ContainerKind.Workspace, true), (workspace.Id, workspace.Name, workspace.Kind, workspace.Archived));
        Assert.Equal(new DateTimeOffset(2024, 10, 30, 23, 58, 27, TimeSpan.Zero).AddTicks(4277220), workspace.CreatedAt);
        Assert.Contains("include_archived=true", _handler.Requests.Single().Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_members_list_and_delete_read_the_docs_examples()
    {
        _handler.Answer("workspace-members-list.json");
        var page = await Adapter.ListMembersAsync("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", null, CancellationToken.None);
        var member = Assert.Single(page.Items);
        Assert.Equal(("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "user_01WCz1FkmYMm4gnmykNKUu3Q", "workspace_user"), (member.ContainerId, member.AccountId, member.Role));

        _handler.Answer("workspace-member-deleted.json");
        var revoked = await Adapter.RevokeMembershipAsync("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "user_01WCz1FkmYMm4gnmykNKUu3Q", CancellationToken.None);
        Assert.Equal(ChangeOutcome.Applied, revoked.Outcome);
        Assert.Equal(HttpMethod.Delete, _handler.Methods[^1]);
        Assert.Equal("/v1/organizations/workspaces/wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ/members/user_01WCz1FkmYMm4gnmykNKUu3Q", _handler.Requests[^1].AbsolutePath);
    }

    [Fact]
    public async Task Api_keys_list_maps_creator_hint_workspace_and_status()
    {
        _handler.Answer("api-keys-list.json");

        var page = await Adapter.ListCredentialsAsync(null, CancellationToken.None);

        var key = Assert.Single(page.Items);
        Assert.Equal("apikey_01Rj2N8SVvo6BePZj99NhmiT", key.Id);
        Assert.Equal(CredentialKind.ApiKey, key.Kind);
        Assert.Equal("Developer Key", key.Name);
        Assert.Equal(CredentialStatus.Active, key.Status);
        Assert.Equal("sk-ant-api03-R2D...igAA", key.RedactedValue);
        Assert.Equal("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", key.ContainerId);
        Assert.Equal(new CredentialOwner(PrincipalKind.User, "user_01WCz1FkmYMm4gnmykNKUu3Q", null, null), key.Owner);
    }

    [Fact]
    public async Task User_deleted_receipt_is_a_removal()
    {
        _handler.Answer("user-deleted.json");

        var removed = await Adapter.RemoveAccountAsync("user_01WCz1FkmYMm4gnmykNKUu3Q", CancellationToken.None);

        Assert.Equal(ChangeOutcome.Applied, removed.Outcome);
        Assert.Equal(HttpMethod.Delete, _handler.Methods.Single());
    }

    [Fact]
    public async Task The_docs_not_found_error_reads_as_not_found_with_its_type()
    {
        _handler.Answer("error-not-found.json", HttpStatusCode.NotFound);
        Assert.Null(await Client.GetUserAsync("user_01Gone", CancellationToken.None));

        _handler.Answer("error-not-found.json", HttpStatusCode.NotFound);
        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => Client.UpdateUserRoleAsync("user_01Gone", "developer", CancellationToken.None));
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal("not_found_error", error.PlatformCode);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains("The requested resource could not be found.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overloaded_529_is_transient_with_its_type()
    {
        _handler.Answer("error-overloaded.json", (HttpStatusCode)529);

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => Adapter.ListAccountsAsync(null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Unavailable, error.Kind);
        Assert.Equal(529, error.StatusCode);
        Assert.Equal("overloaded_error", error.PlatformCode);
    }

    /// <summary>Answers every request with one recorded file and remembers what was asked.</summary>
    [Fact]
    public async Task Claude_code_usage_report_maps_the_docs_example_and_follows_next_page()
    {
        _handler.Answer("claude-code-usage-report.json");
        var reader = Adapter;
        var noon = new DateTimeOffset(2025, 8, 8, 12, 0, 0, TimeSpan.Zero);

        var first = await reader.ListActivityAsync(new ActivityQuery(noon, noon), null, CancellationToken.None);
        await reader.ListActivityAsync(new ActivityQuery(noon, noon), first.NextPageToken, CancellationToken.None);

        var usage = Assert.Single(first.Items);
        Assert.Equal("claude_code:2025-08-08:user:user@emaildomain.com:iTerm.app", usage.Id);
        Assert.Equal((AnthropicAdapter.ClaudeCodeActivityType, new DateTimeOffset(2025, 8, 8, 0, 0, 0, TimeSpan.Zero)), (usage.Type, usage.OccurredAt));
        Assert.Equal(("user@emaildomain.com", "iTerm.app"), (usage.ActorEmail, usage.UserAgent));
        Assert.NotNull(first.NextPageToken); // has_more: true
        Assert.Equal("/v1/organizations/usage_report/claude_code", _handler.Requests[0].AbsolutePath);
        Assert.Equal("?starting_at=2025-08-08&limit=50", _handler.Requests[0].Query);
        Assert.Equal("?starting_at=2025-08-08&limit=50&page=page_MjAyNS0wNS0xNFQwMDowMDowMFo%3D", _handler.Requests[1].Query);
    }

    private sealed class RecordedHandler : HttpMessageHandler
    {
        private string _file = "";
        private HttpStatusCode _status = HttpStatusCode.OK;

        public List<Uri> Requests { get; } = [];

        public List<HttpMethod> Methods { get; } = [];

        public void Answer(string file, HttpStatusCode status = HttpStatusCode.OK) => (_file, _status) = (file, status);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            Methods.Add(request.Method);
            var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Recorded", "anthropic", _file), cancellationToken);
            return new HttpResponseMessage(_status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
