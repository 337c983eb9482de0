using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.OpenAI;

/// <summary>
/// The OpenAI Admin API, one method per route the adapter uses. Paths are relative to the base URL (…/v1/). Updates
/// are POST (the API has no PATCH or PUT); creates are marked non-idempotent so an ambiguous failure is not retried
/// into a second invite, project or service-account key.
/// </summary>
internal sealed class OpenAIClient(HttpClient http, PlatformTarget target, OpenAIOptions options, ILogger<OpenAIClient> logger, TimeProvider time)
    : PlatformHttpClient(http, target, options, logger, time)
{
    private static readonly OpenAIJson Json = OpenAIJson.Default;

    internal OpenAIOptions Options { get; } = options;

    protected override PlatformErrorBody ParseError(ReadOnlySpan<byte> body)
    {
        var error = JsonSerializer.Deserialize(body, Json.ErrorEnvelope)?.Error;
        return new PlatformErrorBody(error?.Code ?? error?.Type, error?.Message);
    }

    // Organisation users

    public Task<ClassicList<OrganizationUser>> ListUsersAsync(string? after, int? limit, CancellationToken ct) =>
        GetAsync("organization/users", "list_users", Json.ClassicListOrganizationUser, ct, ("limit", Limit(limit)), ("after", after));

    /// <summary>Users with exactly this email (the <c>emails</c> filter; the SDKs send arrays as <c>emails[]=…</c>).</summary>
    public Task<ClassicList<OrganizationUser>> FindUsersByEmailAsync(string email, CancellationToken ct) =>
        GetAsync("organization/users", "find_users", Json.ClassicListOrganizationUser, ct, ("emails[]", email), ("limit", "100"));

    public Task<OrganizationUser?> GetUserAsync(string userId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path("organization/users", userId), "get_user"), Json.OrganizationUser, ct);

    public Task<OrganizationUser> ModifyUserRoleAsync(string userId, string role, CancellationToken ct) =>
        SendAsync(Post(Path("organization/users", userId), "modify_user", new RoleBody(role), Json.RoleBody), Json.OrganizationUser, ct);

    public Task<bool> DeleteUserAsync(string userId, CancellationToken ct) => DeleteAsync(Path("organization/users", userId), "delete_user", ct);

    // Invites

    public Task<ClassicList<Invite>> ListInvitesAsync(string? after, CancellationToken ct) =>
        GetAsync("organization/invites", "list_invites", Json.ClassicListInvite, ct, ("limit", Limit(null)), ("after", after));

    public Task<Invite> CreateInviteAsync(InviteRequest invite, CancellationToken ct) =>
        SendAsync(Post("organization/invites", "create_invite", invite, Json.InviteRequest) with { Idempotent = false }, Json.Invite, ct);

    public Task<bool> DeleteInviteAsync(string inviteId, CancellationToken ct) => DeleteAsync(Path("organization/invites", inviteId), "delete_invite", ct);

    // Projects

    public Task<ClassicList<Project>> ListProjectsAsync(string? after, int? limit, bool includeArchived, CancellationToken ct) =>
        GetAsync(
            "organization/projects",
            "list_projects",
            Json.ClassicListProject,
            ct,
            ("limit", Limit(limit)),
            ("after", after),
            ("include_archived", includeArchived ? "true" : null));

    public Task<Project?> GetProjectAsync(string projectId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path("organization/projects", projectId), "get_project"), Json.Project, ct);

    public Task<Project> CreateProjectAsync(string name, CancellationToken ct) =>
        SendAsync(Post("organization/projects", "create_project", new NameBody(name), Json.NameBody) with { Idempotent = false }, Json.Project, ct);

    public Task<Project> ArchiveProjectAsync(string projectId, CancellationToken ct) =>
        SendAsync(new PlatformRequest(HttpMethod.Post, Path("organization/projects", projectId, "archive"), "archive_project"), Json.Project, ct);

    // Project users

    public Task<ClassicList<ProjectUser>> ListProjectUsersAsync(string projectId, string? after, CancellationToken ct) =>
        GetAsync(Path("organization/projects", projectId, "users"), "list_project_users", Json.ClassicListProjectUser, ct, ("limit", Limit(null)), ("after", after));

    public Task<ProjectUser?> GetProjectUserAsync(string projectId, string userId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path("organization/projects", projectId, "users", userId), "get_project_user"), Json.ProjectUser, ct);

    public Task<ProjectUser> AddProjectUserAsync(string projectId, string userId, string role, CancellationToken ct) =>
        SendAsync(
            Post(Path("organization/projects", projectId, "users"), "add_project_user", new ProjectUserCreate(userId, role), Json.ProjectUserCreate) with { Idempotent = false },
            Json.ProjectUser,
            ct);

    public Task<ProjectUser> ModifyProjectUserAsync(string projectId, string userId, string role, CancellationToken ct) =>
        SendAsync(Post(Path("organization/projects", projectId, "users", userId), "modify_project_user", new RoleBody(role), Json.RoleBody), Json.ProjectUser, ct);

    public Task<bool> DeleteProjectUserAsync(string projectId, string userId, CancellationToken ct) =>
        DeleteAsync(Path("organization/projects", projectId, "users", userId), "delete_project_user", ct);

    // Service accounts and keys

    public Task<ClassicList<ServiceAccount>> ListServiceAccountsAsync(string projectId, string? after, CancellationToken ct) =>
        GetAsync(Path("organization/projects", projectId, "service_accounts"), "list_service_accounts", Json.ClassicListServiceAccount, ct, ("limit", Limit(null)), ("after", after));

    /// <summary>Creates a service account and, by default, its first key; the answer is the only place its value appears.</summary>
    public Task<ServiceAccount> CreateServiceAccountAsync(string projectId, string name, CancellationToken ct) =>
        SendAsync(
            Post(Path("organization/projects", projectId, "service_accounts"), "create_service_account", new NameBody(name), Json.NameBody) with { Idempotent = false },
            Json.ServiceAccount,
            ct);

    public Task<bool> DeleteServiceAccountAsync(string projectId, string serviceAccountId, CancellationToken ct) =>
        DeleteAsync(Path("organization/projects", projectId, "service_accounts", serviceAccountId), "delete_service_account", ct);

    /// <summary>
    /// Project keys of every owner; <c>owner_project_access=any</c> because without it the endpoint applies
    /// "membership-based visibility rules, which may exclude some enabled keys" (spec), and an inventory must see them.
    /// </summary>
    public Task<ClassicList<ProjectApiKey>> ListProjectApiKeysAsync(string projectId, string? after, CancellationToken ct) =>
        GetAsync(
            Path("organization/projects", projectId, "api_keys"),
            "list_project_api_keys",
            Json.ClassicListProjectApiKey,
            ct,
            ("limit", Limit(null)),
            ("after", after),
            ("owner_project_access", "any"));

    public Task<ProjectApiKey?> GetProjectApiKeyAsync(string projectId, string keyId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path("organization/projects", projectId, "api_keys", keyId), "get_project_api_key"), Json.ProjectApiKey, ct);

    public Task<bool> DeleteProjectApiKeyAsync(string projectId, string keyId, CancellationToken ct) =>
        DeleteAsync(Path("organization/projects", projectId, "api_keys", keyId), "delete_project_api_key", ct);

    public Task<ClassicList<AdminApiKey>> ListAdminApiKeysAsync(string? after, CancellationToken ct) =>
        GetAsync("organization/admin_api_keys", "list_admin_api_keys", Json.ClassicListAdminApiKey, ct, ("limit", Limit(null)), ("after", after), ("order", "asc"));

    // Audit logs

    public Task<ClassicList<AuditLog>> ListAuditLogsAsync(DateTimeOffset since, DateTimeOffset? until, string? after, CancellationToken ct) =>
        GetAsync(
            "organization/audit_logs",
            "list_audit_logs",
            Json.ClassicListAuditLog,
            ct,
            ("effective_at[gte]", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ("effective_at[lte]", until?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ("limit", Limit(null)),
            ("after", after));

    // Groups

    public Task<RbacList<Group>> ListGroupsAsync(string? after, CancellationToken ct) =>
        GetAsync("organization/groups", "list_groups", Json.RbacListGroup, ct, ("limit", RbacLimit()), ("after", after));

    public Task<Group> CreateGroupAsync(string name, CancellationToken ct) =>
        SendAsync(Post("organization/groups", "create_group", new NameBody(name), Json.NameBody) with { Idempotent = false }, Json.Group, ct);

    public Task<bool> DeleteGroupAsync(string groupId, CancellationToken ct) => DeleteAsync(Path("organization/groups", groupId), "delete_group", ct);

    public Task<RbacList<GroupUser>> ListGroupUsersAsync(string groupId, string? after, CancellationToken ct) =>
        GetAsync(Path("organization/groups", groupId, "users"), "list_group_users", Json.RbacListGroupUser, ct, ("limit", RbacLimit()), ("after", after));

    public Task<GroupUser?> GetGroupUserAsync(string groupId, string userId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path("organization/groups", groupId, "users", userId), "get_group_user"), Json.GroupUser, ct);

    public Task<bool> AddGroupUserAsync(string groupId, string userId, CancellationToken ct) =>
        SendExpectingNoBodyAsync(
            Post(Path("organization/groups", groupId, "users"), "add_group_user", new GroupUserCreate(userId), Json.GroupUserCreate) with { Idempotent = false },
            allowNotFound: false,
            ct);

    public Task<bool> DeleteGroupUserAsync(string groupId, string userId, CancellationToken ct) =>
        DeleteAsync(Path("organization/groups", groupId, "users", userId), "delete_group_user", ct);

    // Roles and role assignments

    /// <summary>Organisation roles live under /organization/roles, project roles under /projects/{id}/roles (no /organization).</summary>
    public Task<RbacList<Role>> ListRolesAsync(string? projectId, string? after, CancellationToken ct) =>
        GetAsync(
            projectId is null ? "organization/roles" : Path("projects", projectId, "roles"),
            projectId is null ? "list_roles" : "list_project_roles",
            Json.RbacListRole,
            ct,
            ("limit", RbacLimit()),
            ("after", after));

    public Task<RbacList<Role>> ListRoleAssignmentsAsync(string assignmentsPath, string? after, CancellationToken ct) =>
        GetAsync(assignmentsPath, "list_role_assignments", Json.RbacListRole, ct, ("limit", RbacLimit()), ("after", after));

    public Task<Role?> GetRoleAssignmentAsync(string assignmentsPath, string roleId, CancellationToken ct) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, Path(assignmentsPath, roleId), "get_role_assignment"), Json.Role, ct);

    public Task<bool> AssignRoleAsync(string assignmentsPath, string roleId, CancellationToken ct) =>
        SendExpectingNoBodyAsync(Post(assignmentsPath, "assign_role", new RoleIdBody(roleId), Json.RoleIdBody), allowNotFound: false, ct);

    public Task<bool> UnassignRoleAsync(string assignmentsPath, string roleId, CancellationToken ct) =>
        DeleteAsync(Path(assignmentsPath, roleId), "unassign_role", ct);

    /// <summary>
    /// Where a principal's role assignments live: /organization/{users|groups}/{id}/roles at organisation scope,
    /// /projects/{project}/{users|groups}/{id}/roles on a project. Only users and groups hold RBAC roles.
    /// </summary>
    public static string RoleAssignmentsPath(PrincipalRef principal, string? projectId)
    {
        var collection = principal.Kind switch
        {
            PrincipalKind.User => "users",
            PrincipalKind.Group => "groups",
            _ => throw new PlatformPermanentException(
                PlatformErrorKind.Validation,
                "OpenAI assigns RBAC roles to users and groups only; a service account's role is set on the service account."),
        };
        return projectId is null
            ? Path("organization", collection, principal.Id, "roles")
            : Path("projects", projectId, collection, principal.Id, "roles");
    }

    private Task<T> GetAsync<T>(string path, string operation, JsonTypeInfo<T> type, CancellationToken ct, params (string Key, string? Value)[] query) =>
        SendAsync(new PlatformRequest(HttpMethod.Get, WithQuery(path, query), operation), type, ct);

    private Task<bool> DeleteAsync(string path, string operation, CancellationToken ct) =>
        SendExpectingNoBodyAsync(new PlatformRequest(HttpMethod.Delete, path, operation), allowNotFound: true, ct);

    private static PlatformRequest Post<TBody>(string path, string operation, TBody body, JsonTypeInfo<TBody> type) =>
        new(HttpMethod.Post, path, operation) { Content = JsonContent.Create(body, type) };

    private string Limit(int? limit) => (limit ?? Options.ClassicLimit).ToString(CultureInfo.InvariantCulture);

    private string RbacLimit() => Options.RbacLimit.ToString(CultureInfo.InvariantCulture);

    /// <summary>A relative path from fixed segments and escaped ids (ids come from the platform or from callers).</summary>
    private static string Path(string prefix, params string[] segments)
    {
        var path = new StringBuilder(prefix);
        foreach (var segment in segments)
        {
            path.Append('/').Append(Uri.EscapeDataString(segment));
        }

        return path.ToString();
    }

    private static string WithQuery(string path, (string Key, string? Value)[] query)
    {
        var built = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            // Brackets stay literal: the API reads effective_at[gte] and emails[] in the form its SDKs send them.
            built.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return built.ToString();
    }
}
