using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Anthropic;

/// <summary>
/// The Admin API routes ScimBridge uses, one method per route (platform.claude.com/docs/en/api/admin). Paths are
/// relative so a BaseUrl with a path prefix (a proxy) keeps it. The admin key and anthropic-version headers are set on
/// the HttpClient by <see cref="AnthropicModule"/>.
/// </summary>
internal sealed class AnthropicClient(HttpClient http, PlatformTarget target, AnthropicOptions options, ILogger logger, TimeProvider time)
    : PlatformHttpClient(http, target, options, logger, time)
{
    private const string Root = "v1/organizations";

    private static readonly AnthropicJson Json = AnthropicJson.Default;

    // The list routes take limit 1–1000 (SDK docstrings: "Defaults to 20. Ranges from 1 to 1000").
    public int PageSize { get; } = Math.Clamp(options.PageSize, 1, 1000);

    public Task<AnthropicOrganization> GetOrganizationAsync(CancellationToken ct) =>
        SendAsync(Get($"{Root}/me", "organization.get"), Json.AnthropicOrganization, ct);

    public Task<AnthropicList<AnthropicUser>> ListUsersAsync(string? afterId, int limit, string? email, CancellationToken ct) =>
        SendAsync(Get(Query($"{Root}/users", ("limit", Limit(limit)), ("after_id", afterId), ("email", email)), "users.list"), Json.AnthropicListAnthropicUser, ct);

    public Task<AnthropicUser?> GetUserAsync(string userId, CancellationToken ct) =>
        SendOrNotFoundAsync(Get($"{Root}/users/{Id(userId)}", "users.get"), Json.AnthropicUser, ct);

    public Task<AnthropicUser> UpdateUserRoleAsync(string userId, string role, CancellationToken ct) =>
        SendAsync(Post($"{Root}/users/{Id(userId)}", "users.update", new AnthropicUpdateUserRequest(role), Json.AnthropicUpdateUserRequest), Json.AnthropicUser, ct);

    /// <summary>False when the platform answered 404 (no such user).</summary>
    public async Task<bool> RemoveUserAsync(string userId, CancellationToken ct) =>
        await SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Delete, $"{Root}/users/{Id(userId)}", "users.remove"), Json.AnthropicDeleted, ct).ConfigureAwait(false) is not null;

    public Task<AnthropicList<AnthropicInvite>> ListInvitesAsync(string? afterId, int limit, string? email, IEnumerable<string>? statuses, CancellationToken ct)
    {
        // Repeated filters are sent with brackets, statuses[]=pending, as the SDKs send them.
        IEnumerable<(string, string?)> filters = [("limit", Limit(limit)), ("after_id", afterId), ("email", email)];
        filters = filters.Concat((statuses ?? []).Select(s => ("statuses[]", (string?)s)));
        return SendAsync(Get(Query($"{Root}/invites", [.. filters]), "invites.list"), Json.AnthropicListAnthropicInvite, ct);
    }

    public Task<AnthropicInvite> CreateInviteAsync(string email, string role, CancellationToken ct) =>
        SendAsync(Post($"{Root}/invites", "invites.create", new AnthropicCreateInviteRequest(email, role), Json.AnthropicCreateInviteRequest) with { Idempotent = false }, Json.AnthropicInvite, ct);

    public async Task<bool> DeleteInviteAsync(string inviteId, CancellationToken ct) =>
        await SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Delete, $"{Root}/invites/{Id(inviteId)}", "invites.delete"), Json.AnthropicDeleted, ct).ConfigureAwait(false) is not null;

    public Task<AnthropicList<AnthropicWorkspace>> ListWorkspacesAsync(string? afterId, int limit, bool includeArchived, CancellationToken ct) =>
        SendAsync(
            Get(Query($"{Root}/workspaces", ("limit", Limit(limit)), ("after_id", afterId), ("include_archived", includeArchived ? "true" : null)), "workspaces.list"),
            Json.AnthropicListAnthropicWorkspace,
            ct);

    public Task<AnthropicWorkspace?> GetWorkspaceAsync(string workspaceId, CancellationToken ct) =>
        SendOrNotFoundAsync(Get($"{Root}/workspaces/{Id(workspaceId)}", "workspaces.get"), Json.AnthropicWorkspace, ct);

    public Task<AnthropicWorkspace> CreateWorkspaceAsync(string name, CancellationToken ct) =>
        SendAsync(Post($"{Root}/workspaces", "workspaces.create", new AnthropicCreateWorkspaceRequest(name), Json.AnthropicCreateWorkspaceRequest) with { Idempotent = false }, Json.AnthropicWorkspace, ct);

    public Task<AnthropicWorkspace> ArchiveWorkspaceAsync(string workspaceId, CancellationToken ct) =>
        SendAsync(new PlatformRequest(HttpMethod.Post, $"{Root}/workspaces/{Id(workspaceId)}/archive", "workspaces.archive"), Json.AnthropicWorkspace, ct);

    public Task<AnthropicList<AnthropicWorkspaceMember>> ListMembersAsync(string workspaceId, string? afterId, int limit, CancellationToken ct) =>
        SendAsync(
            Get(Query($"{Root}/workspaces/{Id(workspaceId)}/members", ("limit", Limit(limit)), ("after_id", afterId)), "workspace_members.list"),
            Json.AnthropicListAnthropicWorkspaceMember,
            ct);

    public Task<AnthropicWorkspaceMember?> GetMemberAsync(string workspaceId, string userId, CancellationToken ct) =>
        SendOrNotFoundAsync(Get($"{Root}/workspaces/{Id(workspaceId)}/members/{Id(userId)}", "workspace_members.get"), Json.AnthropicWorkspaceMember, ct);

    public Task<AnthropicWorkspaceMember> AddMemberAsync(string workspaceId, string userId, string role, CancellationToken ct) =>
        SendAsync(
            Post($"{Root}/workspaces/{Id(workspaceId)}/members", "workspace_members.add", new AnthropicAddMemberRequest(userId, role), Json.AnthropicAddMemberRequest) with { Idempotent = false },
            Json.AnthropicWorkspaceMember,
            ct);

    public Task<AnthropicWorkspaceMember> UpdateMemberAsync(string workspaceId, string userId, string role, CancellationToken ct) =>
        SendAsync(
            Post($"{Root}/workspaces/{Id(workspaceId)}/members/{Id(userId)}", "workspace_members.update", new AnthropicUpdateMemberRequest(role), Json.AnthropicUpdateMemberRequest),
            Json.AnthropicWorkspaceMember,
            ct);

    public async Task<bool> RemoveMemberAsync(string workspaceId, string userId, CancellationToken ct) =>
        await SendOrNotFoundAsync(
            new PlatformRequest(HttpMethod.Delete, $"{Root}/workspaces/{Id(workspaceId)}/members/{Id(userId)}", "workspace_members.remove"),
            Json.AnthropicDeleted,
            ct).ConfigureAwait(false) is not null;

    public Task<AnthropicList<AnthropicApiKey>> ListApiKeysAsync(
        string? afterId, int limit, string? status, string? workspaceId, string? createdByUserId, CancellationToken ct) =>
        SendAsync(
            Get(
                Query(
                    $"{Root}/api_keys",
                    ("limit", Limit(limit)),
                    ("after_id", afterId),
                    ("status", status),
                    ("workspace_id", workspaceId),
                    ("created_by_user_id", createdByUserId)),
                "api_keys.list"),
            Json.AnthropicListAnthropicApiKey,
            ct);

    public Task<AnthropicApiKey?> GetApiKeyAsync(string apiKeyId, CancellationToken ct) =>
        SendOrNotFoundAsync(Get($"{Root}/api_keys/{Id(apiKeyId)}", "api_keys.get"), Json.AnthropicApiKey, ct);

    public Task<AnthropicApiKey> UpdateApiKeyAsync(string apiKeyId, string? name, string? status, CancellationToken ct) =>
        SendAsync(
            Post($"{Root}/api_keys/{Id(apiKeyId)}", "api_keys.update", new AnthropicUpdateApiKeyRequest(name, status), Json.AnthropicUpdateApiKeyRequest),
            Json.AnthropicApiKey,
            ct);

    /// <summary>
    /// One page of one UTC day's Claude Code usage. <c>starting_at</c> is a date (YYYY-MM-DD) and "returns metrics for
    /// this single day only"; <c>limit</c> is 1–1000; <c>page</c> is the previous answer's <c>next_page</c>
    /// (platform.claude.com/docs/en/api/admin/usage_report, Get Claude Code Usage Report).
    /// </summary>
    public Task<AnthropicClaudeCodeReport> GetClaudeCodeUsageAsync(DateOnly day, string? page, CancellationToken ct) =>
        SendAsync(
            Get(
                Query(
                    $"{Root}/usage_report/claude_code",
                    ("starting_at", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    ("limit", Limit(PageSize)),
                    ("page", page)),
                "usage_report.claude_code"),
            Json.AnthropicClaudeCodeReport,
            ct);

    protected override PlatformErrorBody ParseError(ReadOnlySpan<byte> body)
    {
        var envelope = JsonSerializer.Deserialize(body, Json.AnthropicErrorEnvelope);
        return new PlatformErrorBody(envelope?.Error?.Type, envelope?.Error?.Message);
    }

    private static PlatformRequest Get(string path, string operation) => new(HttpMethod.Get, path, operation);

    private static PlatformRequest Post<TBody>(string path, string operation, TBody body, JsonTypeInfo<TBody> type) =>
        new(HttpMethod.Post, path, operation) { Content = JsonContent.Create(body, type) };

    private static string Id(string id) => Uri.EscapeDataString(id);

    private string Limit(int limit) => Math.Clamp(limit <= 0 ? PageSize : limit, 1, 1000).ToString(CultureInfo.InvariantCulture);

    private static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            query.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return query.ToString();
    }
}
