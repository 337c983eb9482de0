using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Primitives;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.OpenAI;

/// <summary>
/// The OpenAI Admin API under /v1: organization users, invites, projects with their users, service accounts and API
/// keys, admin keys, audit logs, groups, roles and role assignments, with the real paths, snake_case fields, both list
/// envelopes and the <c>{"error":{code,message,param,type}}</c> body on every failure. State lives in memory behind
/// one lock; listings page from id indexes so large inventories stay O(page). The seed format is in README.md here.
/// </summary>
public sealed partial class OpenAISimulator(TimeProvider time) : ISimulatedPlatform
{
    private static readonly OpenAISimJson Json = OpenAISimJson.Default;

    private readonly Lock _gate = new();
    private readonly OrderedStore<OrgUser> _users = new(u => u.Id);
    private readonly Dictionary<string, string> _userIdByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly OrderedStore<Invite> _invites = new(i => i.Id);
    private readonly OrderedStore<ProjectState> _projects = new(p => p.Id);
    private readonly OrderedStore<AdminApiKey> _adminKeys = new(k => k.Id);
    private readonly AuditLogStore _audit = new();
    private readonly OrderedStore<Group> _groups = new(g => g.Id);
    private readonly Dictionary<string, OrderedStore<GroupMembership>> _groupUsers = new(StringComparer.Ordinal);
    private readonly OrderedStore<Role> _roles = new(r => r.Id);
    private readonly Dictionary<string, OrderedStore<Assignment>> _assignments = new(StringComparer.Ordinal);

    public string Name => "openai";

    public string BasePath => "/v1";

    /// <summary>AdminApiKeyAuth: <c>Authorization: Bearer &lt;admin key&gt;</c>.</summary>
    public bool IsAuthorized(HttpRequest request, string adminKey) =>
        string.Equals(request.Headers.Authorization.ToString(), "Bearer " + adminKey, StringComparison.Ordinal);

    /// <summary>The error types and codes the live API answers with (e.g. 401 → invalid_api_key, 429 → rate_limit_exceeded).</summary>
    public Task WriteErrorAsync(HttpContext context, int status, string message) => Fail(context, status, message);

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup(BasePath);
        MapOrganization(v1);
        MapProjects(v1);
        MapRbac(v1);
    }

    public void Seed(Stream json)
    {
        var seed = JsonSerializer.Deserialize(json, Json.SeedDocument) ?? new SeedDocument();
        lock (_gate)
        {
            Load(seed);
        }
    }

    /// <summary>The whole state as a seed document (JSON element), so a snapshot can be fed back to <see cref="Seed"/>.</summary>
    public object Snapshot()
    {
        SeedDocument document;
        lock (_gate)
        {
            document = new SeedDocument
            {
                Users = [.. _users.Items],
                Invites = [.. _invites.Items],
                Projects = [.. _projects.Items.Select(p => p.ToSeed())],
                Groups = [.. _groups.Items],
                GroupUsers = [.. _groupUsers.SelectMany(g => g.Value.Items.Select(m => new GroupUserAssignment(m.UserId, g.Key)))],
                Roles = [.. _roles.Items],
                RoleAssignments = [.. _assignments.SelectMany(a => a.Value.Items.Select(r => AssignmentKey.Parse(a.Key).ToSeed(r.RoleId)))],
                AdminApiKeys = [.. _adminKeys.Items],
                AuditLogs = [.. _audit.Entries.Select(e => e.Json)],
            };
        }

        return JsonSerializer.SerializeToElement(document, Json.SeedDocument);
    }

    // Inspection and shortcuts for tests and benchmarks; the API itself is the way to change state otherwise.

    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public bool UserExists(string userId)
    {
        lock (_gate)
        {
            return _users.Contains(userId);
        }
    }

    /// <summary>Adds <paramref name="count"/> organization users (readers) named user-gen-N, straight into the state.</summary>
    public void AddUsers(int count)
    {
        lock (_gate)
        {
            var start = _users.Count;
            for (var i = 0; i < count; i++)
            {
                var n = (start + i).ToString("D7", CultureInfo.InvariantCulture);
                AddUser(new OrgUser { Id = $"user-gen-{n}", Name = $"Generated {n}", Email = $"gen-{n}@example.com", Role = "reader", AddedAt = Now() });
            }
        }
    }

    /// <summary>The user's role in the project, or null when they are not a member.</summary>
    public string? ProjectUserRole(string projectId, string userId)
    {
        lock (_gate)
        {
            return _projects.Get(projectId)?.Users.Get(userId)?.Role;
        }
    }

    public bool ProjectArchived(string projectId)
    {
        lock (_gate)
        {
            return _projects.Get(projectId)?.Project.Status == "archived";
        }
    }

    public string? InviteStatus(string inviteId)
    {
        lock (_gate)
        {
            return _invites.Get(inviteId)?.Status;
        }
    }

    public int InviteCount(string email)
    {
        lock (_gate)
        {
            return _invites.Items.Count(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>What the invitee clicking the link does: the invite is accepted and they join the org and its projects.</summary>
    public string AcceptInvite(string inviteId)
    {
        lock (_gate)
        {
            var invite = _invites.Get(inviteId) ?? throw new InvalidOperationException($"No invite {inviteId}.");
            var now = Now();
            _invites.Replace(invite with { Status = "accepted", AcceptedAt = now });
            var user = new OrgUser { Id = NewId("user-"), Email = invite.Email, Name = invite.Email.Split('@')[0], Role = invite.Role, AddedAt = now };
            AddUser(user);
            foreach (var grant in invite.Projects)
            {
                _projects.Get(grant.Id)?.Users.Add(new ProjectUser { Id = user.Id, Name = user.Name, Email = user.Email, Role = grant.Role, AddedAt = now });
            }

            return user.Id;
        }
    }

    public bool GroupHasUser(string groupId, string userId)
    {
        lock (_gate)
        {
            return _groupUsers.TryGetValue(groupId, out var members) && members.Contains(userId);
        }
    }

    public bool GroupExists(string groupId)
    {
        lock (_gate)
        {
            return _groups.Contains(groupId);
        }
    }

    /// <summary>Role ids assigned to a "user" or "group", at organisation scope (<paramref name="projectId"/> null) or on a project.</summary>
    public IReadOnlyList<string> AssignedRoleIds(string principalType, string principalId, string? projectId)
    {
        lock (_gate)
        {
            return _assignments.TryGetValue(new AssignmentKey(projectId, principalType, principalId).ToString(), out var roles)
                ? [.. roles.Items.Select(r => r.RoleId)]
                : [];
        }
    }

    public bool ServiceAccountExists(string projectId, string serviceAccountId)
    {
        lock (_gate)
        {
            return _projects.Get(projectId)?.ServiceAccounts.Contains(serviceAccountId) ?? false;
        }
    }

    public bool ApiKeyExists(string projectId, string keyId)
    {
        lock (_gate)
        {
            return _projects.Get(projectId)?.ApiKeys.Contains(keyId) ?? false;
        }
    }

    /// <summary>Adds <paramref name="count"/> keys owned by an organization user to a project, straight into the state.</summary>
    public void AddUserApiKeys(string projectId, string userId, int count)
    {
        lock (_gate)
        {
            var project = _projects.Get(projectId) ?? throw new InvalidOperationException($"No project {projectId}.");
            var user = _users.Get(userId) ?? throw new InvalidOperationException($"No user {userId}.");
            var now = Now();
            var owner = new KeyOwner { Type = "user", User = new KeyOwnerUser(user.Id, user.Email ?? "", user.Name ?? "", user.AddedAt, user.Role ?? "reader") };
            for (var i = 0; i < count; i++)
            {
                project.ApiKeys.Add(new ProjectApiKey
                {
                    Id = NewId("key_"),
                    Name = $"Generated key {i}",
                    RedactedValue = "sk-proj-...gen" + (i % 10).ToString(CultureInfo.InvariantCulture),
                    CreatedAt = now,
                    Owner = owner,
                });
            }
        }
    }

    private void Load(SeedDocument seed)
    {
        _users.Clear();
        _userIdByEmail.Clear();
        _invites.Clear();
        _projects.Clear();
        _adminKeys.Clear();
        _groups.Clear();
        _groupUsers.Clear();
        _roles.Clear();
        _assignments.Clear();

        foreach (var user in seed.Users ?? [])
        {
            AddUser(user);
        }

        foreach (var invite in seed.Invites ?? [])
        {
            // The 2025 spec's invited_at stands in for created_at when a seed only has the old name.
            _invites.Add(invite with { CreatedAt = invite.CreatedAt ?? invite.InvitedAt });
        }

        foreach (var project in seed.Projects ?? [])
        {
            _projects.Add(ProjectState.FromSeed(project));
        }

        foreach (var group in seed.Groups ?? [])
        {
            _groups.Add(group);
        }

        foreach (var member in seed.GroupUsers ?? [])
        {
            GroupMembers(member.GroupId).Add(new GroupMembership(member.UserId, Now()));
        }

        foreach (var role in seed.Roles ?? [])
        {
            _roles.Add(role);
        }

        foreach (var assignment in seed.RoleAssignments ?? [])
        {
            var (type, principal) = assignment.User is { } u ? ("user", u.Id) : ("group", assignment.Group?.Id ?? "");
            Assignments(new AssignmentKey(assignment.ProjectId, type, principal)).Add(new Assignment(assignment.Role.Id, Now()));
        }

        foreach (var key in seed.AdminApiKeys ?? [])
        {
            _adminKeys.Add(key);
        }

        _audit.Load((seed.AuditLogs ?? []).Select(AuditEntry.From).OfType<AuditEntry>());
    }

    private void AddUser(OrgUser user)
    {
        if (_users.Add(user) && user.Email is { Length: > 0 } email)
        {
            _userIdByEmail[email] = user.Id;
        }
    }

    private OrderedStore<GroupMembership> GroupMembers(string groupId)
    {
        if (!_groupUsers.TryGetValue(groupId, out var members))
        {
            _groupUsers[groupId] = members = new OrderedStore<GroupMembership>(m => m.UserId);
        }

        return members;
    }

    private OrderedStore<Assignment> Assignments(AssignmentKey key)
    {
        var id = key.ToString();
        if (!_assignments.TryGetValue(id, out var roles))
        {
            _assignments[id] = roles = new OrderedStore<Assignment>(a => a.RoleId);
        }

        return roles;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private static string NewId(string prefix) => prefix + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 24);

    // HTTP helpers

    private static void Get(IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) => routes.MapGet(pattern, handler);

    private static void Post(IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) => routes.MapPost(pattern, handler);

    private static void Delete(IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) => routes.MapDelete(pattern, handler);

    private static Task Ok<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    private static Task Fail(HttpContext context, int status, string message, string? param = null, string? code = null)
    {
        var (type, defaultCode) = status switch
        {
            StatusCodes.Status401Unauthorized => ("invalid_request_error", "invalid_api_key"),
            StatusCodes.Status403Forbidden => ("invalid_request_error", "insufficient_permissions"),
            StatusCodes.Status429TooManyRequests => ("requests", "rate_limit_exceeded"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", (string?)null),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(new ErrorDetail(code ?? defaultCode, message, param, type)), Json.ErrorBody, context.RequestAborted);
    }

    private static Task NotFound(HttpContext context, string what, string id) =>
        Fail(context, StatusCodes.Status404NotFound, $"No such {what}: '{id}'.");

    private static Task BadCursor(HttpContext context, string name, string value) =>
        Fail(context, StatusCodes.Status400BadRequest, $"Invalid '{name}': no object with id '{value}' in this list.", name);

    /// <summary>The OpenAI API's own words for an unreadable body.</summary>
    private static Task BadJson(HttpContext context) =>
        Fail(context, StatusCodes.Status400BadRequest, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");

    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string RouteValue(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private static string? QueryValue(HttpContext context, string name) =>
        context.Request.Query[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>An array parameter in either form clients send it: <c>name[]=a&amp;name[]=b</c> (the SDKs) or <c>name=a&amp;name=b</c>.</summary>
    private static List<string> QueryArray(HttpContext context, string name) =>
        [.. StringValues.Concat(context.Request.Query[name + "[]"], context.Request.Query[name]).OfType<string>().Where(v => v.Length > 0)];

    /// <summary>Reads <c>limit</c>: classic lists allow 1–100 (default 20), RBAC lists 0–1000; out of range is a 400.</summary>
    private static int? Limit(HttpContext context, int min, int max, int fallback)
    {
        var text = QueryValue(context, "limit");
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit >= min && limit <= max ? limit : null;
    }

    private static Task BadLimit(HttpContext context, int min, int max) =>
        Fail(context, StatusCodes.Status400BadRequest, $"Invalid 'limit': must be an integer between {min} and {max}.", "limit");

    private static bool? Descending(HttpContext context, bool fallback) => QueryValue(context, "order") switch
    {
        null => fallback,
        "asc" => false,
        "desc" => true,
        _ => null,
    };

    private static ClassicList<T> Classic<T>(List<T> items, bool hasMore, Func<T, string> id) =>
        new(items, items.Count > 0 ? id(items[0]) : null, items.Count > 0 ? id(items[^1]) : null, hasMore);

    /// <summary>Shows the start and end of a key as the API does ("sk-abc...def"); the full value is never stored.</summary>
    private static string Redact(string value) => value[..Math.Min(8, value.Length)] + "..." + value[^3..];

    private static string NewSecret(string prefix) =>
        prefix + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 48);

    private sealed record GroupMembership(string UserId, long AddedAt);

    private sealed record Assignment(string RoleId, long CreatedAt);

    /// <summary>Whose roles, where: (project or organisation, "user" or "group", principal id), as one dictionary key.</summary>
    private sealed record AssignmentKey(string? ProjectId, string PrincipalType, string PrincipalId)
    {
        public override string ToString() => $"{ProjectId}\n{PrincipalType}\n{PrincipalId}";

        public static AssignmentKey Parse(string key)
        {
            var parts = key.Split('\n');
            return new AssignmentKey(parts[0].Length > 0 ? parts[0] : null, parts[1], parts[2]);
        }

        public SeedRoleAssignment ToSeed(string roleId) => new()
        {
            Object = PrincipalType == "user" ? "user.role" : "group.role",
            User = PrincipalType == "user" ? new IdRef(PrincipalId) : null,
            Group = PrincipalType == "group" ? new IdRef(PrincipalId) : null,
            Role = new IdRef(roleId),
            ProjectId = ProjectId,
        };
    }

    /// <summary>A project and everything that lives under it.</summary>
    private sealed class ProjectState(Project project)
    {
        public string Id => Project.Id;

        public Project Project { get; set; } = project;

        public bool Archived => Project.Status == "archived";

        public OrderedStore<ProjectUser> Users { get; } = new(u => u.Id);

        public OrderedStore<ServiceAccount> ServiceAccounts { get; } = new(a => a.Id);

        public OrderedStore<ProjectApiKey> ApiKeys { get; } = new(k => k.Id);

        public OrderedStore<Role> Roles { get; } = new(r => r.Id);

        public static ProjectState FromSeed(SeedProject seed)
        {
            var state = new ProjectState(new Project
            {
                Id = seed.Id,
                Name = seed.Name,
                CreatedAt = seed.CreatedAt,
                ArchivedAt = seed.ArchivedAt,
                Status = seed.Status ?? (seed.ArchivedAt is null ? "active" : "archived"),
                ExternalKeyId = seed.ExternalKeyId,
                Residency = seed.Residency,
            });
            foreach (var user in seed.Users ?? [])
            {
                state.Users.Add(user);
            }

            foreach (var account in seed.ServiceAccounts ?? [])
            {
                state.ServiceAccounts.Add(account);
            }

            foreach (var key in seed.ApiKeys ?? [])
            {
                state.ApiKeys.Add(key);
            }

            foreach (var role in seed.Roles ?? [])
            {
                state.Roles.Add(role);
            }

            return state;
        }

        public SeedProject ToSeed() => new()
        {
            Id = Project.Id,
            Name = Project.Name,
            CreatedAt = Project.CreatedAt,
            ArchivedAt = Project.ArchivedAt,
            Status = Project.Status,
            ExternalKeyId = Project.ExternalKeyId,
            Residency = Project.Residency,
            Users = [.. Users.Items],
            ServiceAccounts = [.. ServiceAccounts.Items],
            ApiKeys = [.. ApiKeys.Items],
            Roles = [.. Roles.Items],
        };
    }
}
