using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.Anthropic;

/// <summary>
/// The Anthropic Admin API of one Claude Console organisation (platform.claude.com/docs/en/api/admin): users, invites,
/// workspaces, workspace members and API keys under /v1/organizations, with the real paths, snake_case fields, the
/// <c>{data, has_more, first_id, last_id}</c> list envelope paged by <c>after_id</c>/<c>before_id</c>/<c>limit</c>
/// (1–1000, default 20), the <c>{"type":"error","error":{type,message},"request_id"}</c> error body, the
/// <c>x-api-key</c> admin key and the required <c>anthropic-version</c> header. Platform rules it enforces:
/// "admin" cannot be assigned (update user, invite), <c>workspace_billing</c> cannot be given on add, API keys can
/// be listed and updated but never created or deleted. The Claude Code usage report serves one UTC day per request,
/// paged by an opaque <c>page</c> cursor (<c>{data, has_more, next_page}</c>).
/// </summary>
public sealed partial class AnthropicSimulator : ISimulatedPlatform
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 1000;
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // The Create Invite example expires 21 days after it was sent (2024-10-30 → 2024-11-20).
    private static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(21);

    // Console and API orgs can assign these; "admin" is not assignable through the API (Update User, Create Invite).
    private static readonly string[] AssignableOrgRoles = ["user", "developer", "billing", "claude_code_user"];
    private static readonly string[] AddableWorkspaceRoles = ["workspace_user", "workspace_developer", "workspace_restricted_developer", "workspace_admin"];
    private static readonly string[] WorkspaceRoles = [.. AddableWorkspaceRoles, "workspace_billing"];
    private static readonly string[] SettableKeyStatuses = ["active", "inactive", "archived"];
    private static readonly string[] KeyStatuses = [.. SettableKeyStatuses, "expired"];
    private static readonly string[] InviteStatuses = ["accepted", "expired", "pending"];
    private static readonly AnthropicSimJson Json = AnthropicSimJson.Default;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly OrderedStore<AnthropicSimUser> _users = new(u => u.Id);
    private readonly Dictionary<string, string> _userIdsByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly OrderedStore<AnthropicSimInvite> _invites = new(i => i.Id);
    private readonly OrderedStore<AnthropicSimWorkspace> _workspaces = new(w => w.Id);
    private readonly Dictionary<string, OrderedStore<AnthropicSimWorkspaceMember>> _members = new(StringComparer.Ordinal);
    private readonly OrderedStore<AnthropicSimApiKey> _apiKeys = new(k => k.Id);
    private readonly List<AnthropicSimClaudeCodeUsage> _claudeCodeUsage = [];
    private AnthropicSimOrganization _organization = new("12345678-1234-5678-1234-567812345678", "Simulated Organization");
    private int _generatedUsers;

    public AnthropicSimulator(TimeProvider time)
    {
        _time = time;
        DefaultWorkspaceId = NewId("wrkspc_");
    }

    public string Name => "anthropic";

    public string BasePath => "/";

    /// <summary>The organisation's default workspace: not listed, and the workspace of keys whose <c>workspace_id</c> is null.</summary>
    public string DefaultWorkspaceId { get; }

    /// <summary>The <c>anthropic-version</c> the last request carried, so tests can check what a client sends.</summary>
    public string? LastAnthropicVersion { get; private set; }

    public bool IsAuthorized(HttpRequest request, string adminKey) =>
        request.Headers["x-api-key"] is [{ } key] && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(adminKey));

    public Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var type = status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            529 => "overloaded_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };

        // A wrong or missing admin key is worded this way by the real API whatever the host says.
        message = status == StatusCodes.Status401Unauthorized ? "invalid x-api-key" : message;
        context.Response.StatusCode = status;
        context.Response.Headers["request-id"] = RequestId(context);
        var body = new AnthropicSimError("error", new AnthropicSimErrorDetail(type, message), RequestId(context));
        return context.Response.WriteAsJsonAsync(body, Json.AnthropicSimError, contentType: null, context.RequestAborted);
    }

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/organizations");
        api.MapGet("/me", Guarded(c => Ok(c, Locked(() => _organization), Json.AnthropicSimOrganization)));

        api.MapGet("/users", Guarded(ListUsersAsync));
        api.MapGet("/users/{userId}", Guarded(GetUserAsync));
        api.MapPost("/users/{userId}", Guarded(UpdateUserAsync));
        api.MapDelete("/users/{userId}", Guarded(RemoveUserAsync));

        api.MapGet("/invites", Guarded(ListInvitesAsync));
        api.MapPost("/invites", Guarded(CreateInviteAsync));
        api.MapGet("/invites/{inviteId}", Guarded(GetInviteAsync));
        api.MapDelete("/invites/{inviteId}", Guarded(DeleteInviteAsync));

        api.MapGet("/workspaces", Guarded(ListWorkspacesAsync));
        api.MapPost("/workspaces", Guarded(CreateWorkspaceAsync));
        api.MapGet("/workspaces/{workspaceId}", Guarded(GetWorkspaceAsync));
        api.MapPost("/workspaces/{workspaceId}", Guarded(UpdateWorkspaceAsync));
        api.MapPost("/workspaces/{workspaceId}/archive", Guarded(ArchiveWorkspaceAsync));

        api.MapGet("/workspaces/{workspaceId}/members", Guarded(ListMembersAsync));
        api.MapPost("/workspaces/{workspaceId}/members", Guarded(AddMemberAsync));
        api.MapGet("/workspaces/{workspaceId}/members/{userId}", Guarded(GetMemberAsync));
        api.MapPost("/workspaces/{workspaceId}/members/{userId}", Guarded(UpdateMemberAsync));
        api.MapDelete("/workspaces/{workspaceId}/members/{userId}", Guarded(RemoveMemberAsync));

        // There is no create and no delete for API keys: they are made in the Console.
        api.MapGet("/api_keys", Guarded(ListApiKeysAsync));
        api.MapGet("/api_keys/{apiKeyId}", Guarded(GetApiKeyAsync));
        api.MapPost("/api_keys/{apiKeyId}", Guarded(UpdateApiKeyAsync));

        api.MapGet("/usage_report/claude_code", Guarded(ClaudeCodeUsageAsync));
    }

    public void Seed(Stream json)
    {
        var state = JsonSerializer.Deserialize(json, Json.AnthropicSimState) ?? throw new InvalidDataException("The seed is empty.");
        lock (_gate)
        {
            _users.Clear();
            _userIdsByEmail.Clear();
            _invites.Clear();
            _workspaces.Clear();
            _members.Clear();
            _apiKeys.Clear();
            _claudeCodeUsage.Clear();
            _organization = state.Organization ?? _organization;
            foreach (var user in state.Users)
            {
                AddUserLocked(user);
            }

            foreach (var invite in state.Invites)
            {
                Require(_invites.Add(invite), $"duplicate invite {invite.Id}");
            }

            foreach (var workspace in state.Workspaces)
            {
                Require(_workspaces.Add(workspace), $"duplicate workspace {workspace.Id}");
                _members[workspace.Id] = NewMemberStore();
            }

            foreach (var member in state.WorkspaceMembers)
            {
                Require(_members.TryGetValue(member.WorkspaceId, out var store), $"member of unknown workspace {member.WorkspaceId}");
                Require(_users.Get(member.UserId) is not null, $"workspace member {member.UserId} is not a user");
                Require(store!.Add(member), $"duplicate member {member.UserId} of {member.WorkspaceId}");
            }

            foreach (var key in state.ApiKeys)
            {
                Require(_apiKeys.Add(key), $"duplicate API key {key.Id}");
            }

            _claudeCodeUsage.AddRange(state.ClaudeCodeUsage);
        }
    }

    public object Snapshot()
    {
        AnthropicSimState state;
        lock (_gate)
        {
            state = new AnthropicSimState
            {
                Organization = _organization,
                Users = [.. _users.Items],
                Invites = [.. _invites.Items.Select(Project)],
                Workspaces = [.. _workspaces.Items],
                WorkspaceMembers = [.. _workspaces.Items.SelectMany(w => _members[w.Id].Items)],
                ApiKeys = [.. _apiKeys.Items.Select(Project)],
                ClaudeCodeUsage = [.. _claudeCodeUsage],
            };
        }

        // A node keeps the wire's snake_case names whatever options the host serialises /_sim/state with.
        return JsonSerializer.SerializeToNode(state, Json.AnthropicSimState)!;
    }

    // Test and demo helpers: direct state access, as the Console would give, for what the Admin API cannot do.

    public int UserCount => Locked(() => _users.Count);

    public AnthropicSimUser AddUser(string email, string name, string role = "user", string? id = null)
    {
        var user = new AnthropicSimUser(id ?? NewId("user_"), email, name, role, _time.GetUtcNow());
        lock (_gate)
        {
            AddUserLocked(user);
        }

        return user;
    }

    /// <summary>Adds <paramref name="count"/> generated users (for paging tests and load), in one lock.</summary>
    public void AddUsers(int count)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var n = ++_generatedUsers;
                AddUserLocked(new AnthropicSimUser(NewId("user_"), $"generated-{n}@example.test", $"Generated User {n}", "user", now));
            }
        }
    }

    public AnthropicSimUser? FindUser(string userId) => Locked(() => _users.Get(userId));

    /// <summary>The org member with this email, if any (for tests and benchmarks; a scan, not for hot paths).</summary>
    public AnthropicSimUser? FindUserByEmail(string email) =>
        Locked(() => _users.Items.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)));

    public AnthropicSimInvite? FindInvite(string inviteId) => Locked(() => _invites.Get(inviteId) is { } i ? Project(i) : null);

    public IReadOnlyList<AnthropicSimInvite> Invites => Locked(() => _invites.Items.Select(Project).ToList());

    public AnthropicSimWorkspace? FindWorkspace(string workspaceId) => Locked(() => _workspaces.Get(workspaceId));

    public IReadOnlyList<AnthropicSimWorkspace> Workspaces => Locked(() => _workspaces.Items.ToList());

    public string? MemberRole(string workspaceId, string userId) =>
        Locked(() => _members.TryGetValue(workspaceId, out var store) ? store.Get(userId)?.WorkspaceRole : null);

    public AnthropicSimApiKey? FindApiKey(string apiKeyId) => Locked(() => _apiKeys.Get(apiKeyId) is { } k ? Project(k) : null);

    /// <summary>What the invitee does in the browser: the invite turns accepted and the person becomes a user.</summary>
    /// <summary>Adds rows to the Claude Code usage report (usage happens outside the Admin API).</summary>
    public void AddClaudeCodeUsage(IEnumerable<AnthropicSimClaudeCodeUsage> rows)
    {
        lock (_gate)
        {
            _claudeCodeUsage.AddRange(rows);
        }
    }

    public AnthropicSimUser AcceptInvite(string inviteId, string name)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var invite = _invites.Get(inviteId) is { } i && Project(i).Status == "pending"
                ? i
                : throw new InvalidOperationException($"Invite {inviteId} is not pending.");
            _invites.Replace(invite with { Status = "accepted", AcceptedAt = now });
            var user = new AnthropicSimUser(NewId("user_"), invite.Email, name, invite.Role, now);
            AddUserLocked(user);
            return user;
        }
    }

    private async Task ListUsersAsync(HttpContext c)
    {
        if (!TryPaging(c, out var paging, out var problem))
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        string? email = c.Request.Query["email"];
        var roles = QueryValues(c, "roles");
        Func<AnthropicSimUser, bool>? filter = roles.Count == 0 ? null : u => roles.Contains(u.Role);
        AnthropicSimList<AnthropicSimUser>? list;
        lock (_gate)
        {
            list = email is not null
                ? ExactMatch(_userIdsByEmail.TryGetValue(email.Trim(), out var id) ? _users.Get(id) : null, filter, u => u.Id)
                : ToList(_users.Page(paging.AfterId, paging.BeforeId, paging.Limit, filter), u => u.Id);
        }

        await ListOrBadCursorAsync(c, list, Json.AnthropicSimListAnthropicSimUser);
    }

    private async Task GetUserAsync(HttpContext c)
    {
        var user = Locked(() => _users.Get(Route(c, "userId")));
        await (user is null ? NotFoundAsync(c) : Ok(c, user, Json.AnthropicSimUser));
    }

    private async Task UpdateUserAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimUpdateUser);
        if (body is null)
        {
            return;
        }

        if (!AssignableOrgRoles.Contains(body.Role))
        {
            await WriteErrorAsync(c, 400, $"role: Input should be {Choices(AssignableOrgRoles)}");
            return;
        }

        AnthropicSimUser? updated = null;
        lock (_gate)
        {
            if (_users.Get(Route(c, "userId")) is { } user)
            {
                updated = user with { Role = body.Role! };
                _users.Replace(updated);
            }
        }

        await (updated is null ? NotFoundAsync(c) : Ok(c, updated, Json.AnthropicSimUser));
    }

    private async Task RemoveUserAsync(HttpContext c)
    {
        var userId = Route(c, "userId");
        AnthropicSimUser? removed;
        lock (_gate)
        {
            removed = _users.Remove(userId);
            if (removed is not null)
            {
                _userIdsByEmail.Remove(removed.Email);

                // Leaving the organisation ends every workspace membership.
                foreach (var members in _members.Values)
                {
                    members.Remove(userId);
                }
            }
        }

        await (removed is null ? NotFoundAsync(c) : Ok(c, new AnthropicSimDeleted(userId, "user_deleted"), Json.AnthropicSimDeleted));
    }

    private async Task ListInvitesAsync(HttpContext c)
    {
        if (!TryPaging(c, out var paging, out var problem))
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        var statuses = QueryValues(c, "statuses");
        if (statuses.FirstOrDefault(s => !InviteStatuses.Contains(s)) is { } bad)
        {
            await WriteErrorAsync(c, 400, $"statuses: Input should be {Choices(InviteStatuses)}, not '{bad}'");
            return;
        }

        string? email = c.Request.Query["email"];
        var roles = QueryValues(c, "roles");
        var now = _time.GetUtcNow();

        // Without statuses, pending, accepted and expired invites are listed alike; deleted ones never are.
        bool Matches(AnthropicSimInvite invite)
        {
            var status = Project(invite, now).Status;
            return status != "deleted"
                && (statuses.Count == 0 || statuses.Contains(status))
                && (roles.Count == 0 || roles.Contains(invite.Role))
                && (email is null || string.Equals(invite.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        AnthropicSimList<AnthropicSimInvite>? list;
        lock (_gate)
        {
            list = ToList(_invites.Page(paging.AfterId, paging.BeforeId, paging.Limit, Matches), i => i.Id);
        }

        list = list is null ? null : list with { Data = [.. list.Data.Select(i => Project(i, now))] };
        await ListOrBadCursorAsync(c, list, Json.AnthropicSimListAnthropicSimInvite);
    }

    private async Task CreateInviteAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimCreateInvite);
        if (body is null)
        {
            return;
        }

        string? problem = null;
        if (string.IsNullOrWhiteSpace(body.Email) || !body.Email.Contains('@', StringComparison.Ordinal))
        {
            problem = "email: Field required and must be an email address";
        }
        else if (!AssignableOrgRoles.Contains(body.Role))
        {
            problem = $"role: Input should be {Choices(AssignableOrgRoles)}";
        }
        else if (body.RbacGroupIds is { Count: > 0 })
        {
            problem = "rbac_group_ids: RBAC groups are only available to Claude Enterprise organizations";
        }

        var now = _time.GetUtcNow();
        AnthropicSimInvite? invite = null;
        lock (_gate)
        {
            var email = body.Email?.Trim() ?? "";
            if (problem is null && _userIdsByEmail.ContainsKey(email))
            {
                problem = "A user with this email address is already a member of the organization.";
            }
            else if (problem is null && _invites.Items.Any(i => Project(i, now).Status == "pending" && string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)))
            {
                problem = "An invite has already been sent to this email address.";
            }
            else if (problem is null)
            {
                invite = new AnthropicSimInvite(NewId("invite_"), email, body.Role!, "pending", now, now + InviteLifetime);
                _invites.Add(invite);
            }
        }

        await (invite is null ? WriteErrorAsync(c, 400, problem!) : Ok(c, invite, Json.AnthropicSimInvite));
    }

    private async Task GetInviteAsync(HttpContext c)
    {
        var invite = FindInvite(Route(c, "inviteId"));
        await (invite is null ? NotFoundAsync(c) : Ok(c, invite, Json.AnthropicSimInvite));
    }

    private async Task DeleteInviteAsync(HttpContext c)
    {
        var inviteId = Route(c, "inviteId");
        var deleted = false;
        lock (_gate)
        {
            if (_invites.Get(inviteId) is { Status: not "deleted" } invite)
            {
                // Deleted invites keep their record (status "deleted") but are gone for listing and for a second delete.
                _invites.Replace(invite with { Status = "deleted" });
                deleted = true;
            }
        }

        await (deleted ? Ok(c, new AnthropicSimDeleted(inviteId, "invite_deleted"), Json.AnthropicSimDeleted) : NotFoundAsync(c));
    }

    private async Task ListWorkspacesAsync(HttpContext c)
    {
        if (!TryPaging(c, out var paging, out var problem) || !TryBool(c, "include_archived", out var includeArchived, ref problem))
        {
            await WriteErrorAsync(c, 400, problem!);
            return;
        }

        AnthropicSimList<AnthropicSimWorkspace>? list;
        lock (_gate)
        {
            list = ToList(
                _workspaces.Page(paging.AfterId, paging.BeforeId, paging.Limit, includeArchived ? null : w => w.ArchivedAt is null),
                w => w.Id);
        }

        await ListOrBadCursorAsync(c, list, Json.AnthropicSimListAnthropicSimWorkspace);
    }

    private async Task CreateWorkspaceAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimCreateWorkspace);
        if (body is null)
        {
            return;
        }

        if (WorkspaceProblem(body.Name, body.DisplayColor, body.Tags) is { } problem)
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        var workspace = new AnthropicSimWorkspace(NewId("wrkspc_"), body.Name!.Trim(), _time.GetUtcNow())
        {
            DisplayColor = body.DisplayColor ?? "#6C5BB9",
            CompartmentId = NewId("cmpt_"),
            DataResidency = AnthropicSimDataResidency.Default,
            ExternalKeyId = body.ExternalKeyId,
            Tags = body.Tags ?? new Dictionary<string, string>(),
        };
        lock (_gate)
        {
            _workspaces.Add(workspace);
            _members[workspace.Id] = NewMemberStore();
        }

        await Ok(c, workspace, Json.AnthropicSimWorkspace);
    }

    private async Task GetWorkspaceAsync(HttpContext c)
    {
        var workspace = FindWorkspace(Route(c, "workspaceId"));
        await (workspace is null ? NotFoundAsync(c) : Ok(c, workspace, Json.AnthropicSimWorkspace));
    }

    private async Task UpdateWorkspaceAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimUpdateWorkspace);
        if (body is null)
        {
            return;
        }

        if (body.Name is not null && WorkspaceProblem(body.Name, body.DisplayColor, null) is { } problem)
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        AnthropicSimWorkspace? updated = null;
        lock (_gate)
        {
            if (_workspaces.Get(Route(c, "workspaceId")) is { } workspace)
            {
                updated = workspace with { Name = body.Name?.Trim() ?? workspace.Name, DisplayColor = body.DisplayColor ?? workspace.DisplayColor };
                _workspaces.Replace(updated);
            }
        }

        await (updated is null ? NotFoundAsync(c) : Ok(c, updated, Json.AnthropicSimWorkspace));
    }

    private async Task ArchiveWorkspaceAsync(HttpContext c)
    {
        AnthropicSimWorkspace? workspace;
        var alreadyArchived = false;
        lock (_gate)
        {
            workspace = _workspaces.Get(Route(c, "workspaceId"));
            if (workspace is { ArchivedAt: null })
            {
                workspace = workspace with { ArchivedAt = _time.GetUtcNow() };
                _workspaces.Replace(workspace);
            }
            else
            {
                alreadyArchived = workspace is not null;
            }
        }

        if (workspace is null)
        {
            await NotFoundAsync(c);
        }
        else if (alreadyArchived)
        {
            await WriteErrorAsync(c, 400, "Workspace is already archived.");
        }
        else
        {
            await Ok(c, workspace, Json.AnthropicSimWorkspace);
        }
    }

    private async Task ListMembersAsync(HttpContext c)
    {
        if (!TryPaging(c, out var paging, out var problem))
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        AnthropicSimList<AnthropicSimWorkspaceMember>? list = null;
        var found = false;
        lock (_gate)
        {
            if (_members.TryGetValue(Route(c, "workspaceId"), out var store))
            {
                found = true;
                list = ToList(store.Page(paging.AfterId, paging.BeforeId, paging.Limit, null), m => m.UserId);
            }
        }

        await (found ? ListOrBadCursorAsync(c, list, Json.AnthropicSimListAnthropicSimWorkspaceMember) : NotFoundAsync(c));
    }

    private async Task AddMemberAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimAddMember);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.UserId))
        {
            await WriteErrorAsync(c, 400, "user_id: Field required");
            return;
        }

        if (!AddableWorkspaceRoles.Contains(body.WorkspaceRole))
        {
            // Add Workspace Member: "Role of the new Workspace Member. Cannot be workspace_billing."
            await WriteErrorAsync(c, 400, $"workspace_role: Input should be {Choices(AddableWorkspaceRoles)}");
            return;
        }

        int status;
        string message;
        var member = new AnthropicSimWorkspaceMember(body.UserId, Route(c, "workspaceId"), body.WorkspaceRole!);
        lock (_gate)
        {
            (status, message) = !_members.TryGetValue(member.WorkspaceId, out var store) ? (404, "Workspace not found.")
                : _users.Get(member.UserId) is null ? (404, $"User {member.UserId} not found.")
                : !store.Add(member) ? (400, "User is already a member of this workspace.")
                : (200, "");
        }

        await (status == 200 ? Ok(c, member, Json.AnthropicSimWorkspaceMember) : WriteErrorAsync(c, status, message));
    }

    private async Task GetMemberAsync(HttpContext c)
    {
        var member = Locked(() => _members.TryGetValue(Route(c, "workspaceId"), out var store) ? store.Get(Route(c, "userId")) : null);
        await (member is null ? NotFoundAsync(c) : Ok(c, member, Json.AnthropicSimWorkspaceMember));
    }

    private async Task UpdateMemberAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimUpdateMember);
        if (body is null)
        {
            return;
        }

        if (!WorkspaceRoles.Contains(body.WorkspaceRole))
        {
            await WriteErrorAsync(c, 400, $"workspace_role: Input should be {Choices(WorkspaceRoles)}");
            return;
        }

        AnthropicSimWorkspaceMember? updated = null;
        lock (_gate)
        {
            if (_members.TryGetValue(Route(c, "workspaceId"), out var store) && store.Get(Route(c, "userId")) is { } member)
            {
                updated = member with { WorkspaceRole = body.WorkspaceRole! };
                store.Replace(updated);
            }
        }

        await (updated is null ? NotFoundAsync(c) : Ok(c, updated, Json.AnthropicSimWorkspaceMember));
    }

    private async Task RemoveMemberAsync(HttpContext c)
    {
        var workspaceId = Route(c, "workspaceId");
        var userId = Route(c, "userId");
        var removed = Locked(() => _members.TryGetValue(workspaceId, out var store) && store.Remove(userId) is not null);
        await (removed ? Ok(c, new AnthropicSimMemberDeleted(userId, workspaceId), Json.AnthropicSimMemberDeleted) : NotFoundAsync(c));
    }

    private async Task ListApiKeysAsync(HttpContext c)
    {
        if (!TryPaging(c, out var paging, out var problem))
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        string? status = c.Request.Query["status"];
        string? workspaceId = c.Request.Query["workspace_id"];
        string? creator = c.Request.Query["created_by_user_id"];
        if (status is not null && !KeyStatuses.Contains(status))
        {
            await WriteErrorAsync(c, 400, $"status: Input should be {Choices(KeyStatuses)}");
            return;
        }

        var now = _time.GetUtcNow();
        bool Matches(AnthropicSimApiKey key) =>
            (status is null || Project(key, now).Status == status)
            && (workspaceId is null || key.WorkspaceId == workspaceId)
            && (creator is null || key.CreatedBy is { Type: "user" } by && by.Id == creator);

        AnthropicSimList<AnthropicSimApiKey>? list;
        lock (_gate)
        {
            list = ToList(_apiKeys.Page(paging.AfterId, paging.BeforeId, paging.Limit, Matches), k => k.Id);
        }

        list = list is null ? null : list with { Data = [.. list.Data.Select(k => Project(k, now))] };
        await ListOrBadCursorAsync(c, list, Json.AnthropicSimListAnthropicSimApiKey);
    }

    private async Task GetApiKeyAsync(HttpContext c)
    {
        var key = FindApiKey(Route(c, "apiKeyId"));
        await (key is null ? NotFoundAsync(c) : Ok(c, key, Json.AnthropicSimApiKey));
    }

    private async Task UpdateApiKeyAsync(HttpContext c)
    {
        var body = await ReadAsync(c, Json.AnthropicSimUpdateApiKey);
        if (body is null)
        {
            return;
        }

        if (body.Name is { } name && (name.Length is < 1 or > 500))
        {
            await WriteErrorAsync(c, 400, "name: String should have between 1 and 500 characters");
            return;
        }

        if (body.Status is not null && !SettableKeyStatuses.Contains(body.Status))
        {
            await WriteErrorAsync(c, 400, $"status: Input should be {Choices(SettableKeyStatuses)}");
            return;
        }

        AnthropicSimApiKey? updated = null;
        string? problem = null;
        lock (_gate)
        {
            if (_apiKeys.Get(Route(c, "apiKeyId")) is { } key)
            {
                if (body.Status is not null && body.Status != key.Status && key.Status == "archived")
                {
                    // Archiving is one-way in the Console; an archived key cannot be turned back on.
                    problem = "Cannot change the status of an archived API key.";
                }
                else
                {
                    updated = key with { Name = body.Name ?? key.Name, Status = body.Status ?? key.Status };
                    _apiKeys.Replace(updated);
                }
            }
        }

        if (problem is not null)
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        await (updated is null ? NotFoundAsync(c) : Ok(c, Project(updated), Json.AnthropicSimApiKey));
    }

    /// <summary>
    /// GET /v1/organizations/usage_report/claude_code: <c>starting_at</c> (required, YYYY-MM-DD, that one UTC day),
    /// <c>limit</c> (1–1000, default 20) and <c>page</c> (the previous answer's <c>next_page</c>). The cursor is
    /// "page_" and base64, like the docs' example ("page_MjAyNS0wNS0xNFQwMDowMDowMFo="), and is bound to its day.
    /// </summary>
    private async Task ClaudeCodeUsageAsync(HttpContext c)
    {
        if (c.Request.Query["starting_at"] is not [{ } text])
        {
            await WriteErrorAsync(c, 400, "starting_at: Field required");
            return;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            await WriteErrorAsync(c, 400, "starting_at: Input should be a valid date in the format YYYY-MM-DD");
            return;
        }

        if (!TryPaging(c, out var paging, out var problem))
        {
            await WriteErrorAsync(c, 400, problem);
            return;
        }

        var offset = 0;
        if (c.Request.Query["page"] is [{ } cursor] && !TryUsageCursor(cursor, day, out offset))
        {
            await WriteErrorAsync(c, 400, "page: Invalid page cursor");
            return;
        }

        AnthropicSimClaudeCodeReport report;
        lock (_gate)
        {
            var rows = _claudeCodeUsage.Where(r => r.Date == day).ToList();
            var data = rows.Skip(offset).Take(paging.Limit).Select(r => r with { OrganizationId = r.OrganizationId ?? _organization.Id }).ToList();
            var hasMore = offset + paging.Limit < rows.Count;
            report = new AnthropicSimClaudeCodeReport(data, hasMore, hasMore ? UsageCursor(day, offset + paging.Limit) : null);
        }

        await Ok(c, report, Json.AnthropicSimClaudeCodeReport);
    }

    private static string UsageCursor(DateOnly day, int offset) =>
        "page_" + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}|{offset}")));

    private static bool TryUsageCursor(string cursor, DateOnly day, out int offset)
    {
        offset = 0;
        try
        {
            var parts = cursor.StartsWith("page_", StringComparison.Ordinal)
                ? System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(cursor["page_".Length..])).Split('|')
                : [];
            return parts.Length == 2
                && parts[0] == day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Every route requires <c>anthropic-version</c> and answers with a <c>request-id</c> header.</summary>
    private RequestDelegate Guarded(Func<HttpContext, Task> handler) => context =>
    {
        context.Response.Headers["request-id"] = RequestId(context);
        string? version = context.Request.Headers["anthropic-version"];
        LastAnthropicVersion = version;
        return string.IsNullOrWhiteSpace(version)
            ? WriteErrorAsync(context, 400, "anthropic-version: header is required")
            : handler(context);
    };

    private static Task Ok<T>(HttpContext c, T value, JsonTypeInfo<T> type) =>
        c.Response.WriteAsJsonAsync(value, type, contentType: null, c.RequestAborted);

    private Task NotFoundAsync(HttpContext c) => WriteErrorAsync(c, 404, "The requested resource could not be found.");

    private Task ListOrBadCursorAsync<T>(HttpContext c, AnthropicSimList<T>? list, JsonTypeInfo<AnthropicSimList<T>> type) =>
        list is null ? WriteErrorAsync(c, 400, "after_id/before_id: no object with that ID in this list") : Ok(c, list, type);

    private async Task<T?> ReadAsync<T>(HttpContext c, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            if (await c.Request.ReadFromJsonAsync(type, c.RequestAborted) is { } body)
            {
                return body;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or a body that is not application/json.
        }

        await WriteErrorAsync(c, 400, "The request body is not valid JSON.");
        return null;
    }

    private static bool TryPaging(HttpContext c, out (int Limit, string? AfterId, string? BeforeId) paging, out string problem)
    {
        var query = c.Request.Query;
        string? afterId = query["after_id"];
        string? beforeId = query["before_id"];
        paging = (DefaultLimit, afterId, beforeId);
        problem = "";
        if (afterId is not null && beforeId is not null)
        {
            problem = "Only one of after_id and before_id may be given.";
            return false;
        }

        if (query["limit"] is [{ } text])
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var limit))
            {
                problem = "limit: Input should be a valid integer";
                return false;
            }

            if (limit is < 1 or > MaxLimit)
            {
                problem = $"limit: Input should be between 1 and {MaxLimit}";
                return false;
            }

            paging.Limit = limit;
        }

        return true;
    }

    private static bool TryBool(HttpContext c, string name, out bool value, ref string? problem)
    {
        value = false;
        if (c.Request.Query[name] is not [{ } text])
        {
            return true;
        }

        if (bool.TryParse(text, out value))
        {
            return true;
        }

        problem = $"{name}: Input should be a valid boolean";
        return false;
    }

    /// <summary>Repeated filters arrive as <c>roles[]=a&amp;roles[]=b</c> (the SDKs) or <c>roles=a&amp;roles=b</c>.</summary>
    private static HashSet<string> QueryValues(HttpContext c, string name) =>
        [.. c.Request.Query[name + "[]"].Concat(c.Request.Query[name]).OfType<string>()];

    private static string? WorkspaceProblem(string? name, string? color, IReadOnlyDictionary<string, string>? tags)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is < 1 or > 40)
        {
            return "name: String should have between 1 and 40 characters";
        }

        if (color is not null && !HexColor().IsMatch(color))
        {
            return "display_color: must be a hex color such as #6C5BB9";
        }

        return tags?.Keys.FirstOrDefault(k => k.StartsWith("anthropic", StringComparison.OrdinalIgnoreCase)) is { } reserved
            ? $"tags: key '{reserved}' may not begin with 'anthropic'"
            : null;
    }

    private static AnthropicSimList<T>? ToList<T>((List<T> Items, bool HasMore)? page, Func<T, string> id) =>
        page is not { } p ? null : new AnthropicSimList<T>(p.Items, p.HasMore, p.Items.Count > 0 ? id(p.Items[0]) : null, p.Items.Count > 0 ? id(p.Items[^1]) : null);

    private static AnthropicSimList<T> ExactMatch<T>(T? item, Func<T, bool>? filter, Func<T, string> id)
        where T : class =>
        item is not null && (filter is null || filter(item))
            ? new AnthropicSimList<T>([item], false, id(item), id(item))
            : new AnthropicSimList<T>([], false, null, null);

    private AnthropicSimInvite Project(AnthropicSimInvite invite) => Project(invite, _time.GetUtcNow());

    private static AnthropicSimInvite Project(AnthropicSimInvite invite, DateTimeOffset now) =>
        invite.Status == "pending" && invite.ExpiresAt <= now ? invite with { Status = "expired" } : invite;

    private AnthropicSimApiKey Project(AnthropicSimApiKey key) => Project(key, _time.GetUtcNow());

    /// <summary>Expiry is read-time; scope is always present (the default workspace's real ID when workspace_id is null).</summary>
    private AnthropicSimApiKey Project(AnthropicSimApiKey key, DateTimeOffset now) => key with
    {
        Status = key.Status == "active" && key.ExpiresAt <= now ? "expired" : key.Status,
        Scope = key.Scope ?? new AnthropicSimScope("workspace", key.WorkspaceId ?? DefaultWorkspaceId),
    };

    private void AddUserLocked(AnthropicSimUser user)
    {
        Require(!_userIdsByEmail.ContainsKey(user.Email), $"duplicate user email {user.Email}");
        Require(_users.Add(user), $"duplicate user {user.Id}");
        _userIdsByEmail[user.Email] = user.Id;
    }

    private static OrderedStore<AnthropicSimWorkspaceMember> NewMemberStore() => new(m => m.UserId);

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private static string Route(HttpContext c, string name) => (string)c.GetRouteValue(name)!;

    private static string RequestId(HttpContext c)
    {
        if (c.Items.TryGetValue("anthropic.request-id", out var existing) && existing is string id)
        {
            return id;
        }

        var created = NewId("req_");
        c.Items["anthropic.request-id"] = created;
        return created;
    }

    // IDs look like the real ones: a type prefix, "01", then 22 base62 characters ("user_01WCz1FkmYMm4gnmykNKUu3Q").
    private static string NewId(string prefix) => prefix + "01" + RandomNumberGenerator.GetString(Base62, 22);

    private static string Choices(string[] values) =>
        string.Join(", ", values[..^1].Select(v => $"'{v}'")) + $" or '{values[^1]}'";

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Anthropic seed: {problem}.");
        }
    }
}
