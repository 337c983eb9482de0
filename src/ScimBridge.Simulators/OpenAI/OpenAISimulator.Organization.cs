using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Simulators.OpenAI;

// Organization users, invites, admin API keys and the audit log.
public sealed partial class OpenAISimulator
{
    private const int InviteLifetimeSeconds = 7 * 24 * 3600;

    private static readonly string[] OrgRoles = ["owner", "reader"];
    private static readonly string[] ProjectRoles = ["owner", "member"];

    private void MapOrganization(IEndpointRouteBuilder v1)
    {
        Get(v1, "/organization/users", ListUsers);
        Get(v1, "/organization/users/{user_id}", GetUser);
        Post(v1, "/organization/users/{user_id}", ModifyUser);
        Delete(v1, "/organization/users/{user_id}", DeleteUser);

        Get(v1, "/organization/invites", ListInvites);
        Post(v1, "/organization/invites", CreateInvite);
        Get(v1, "/organization/invites/{invite_id}", GetInvite);
        Delete(v1, "/organization/invites/{invite_id}", DeleteInvite);

        Get(v1, "/organization/admin_api_keys", ListAdminKeys);
        Get(v1, "/organization/admin_api_keys/{key_id}", GetAdminKey);

        Get(v1, "/organization/audit_logs", ListAuditLogs);
    }

    private Task ListUsers(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        var after = QueryValue(context, "after");
        var emails = QueryArray(context, "emails");
        ClassicList<OrgUser> answer;
        lock (_gate)
        {
            if (emails.Count > 0)
            {
                List<OrgUser> matches = [.. emails.Select(e => _userIdByEmail.GetValueOrDefault(e)).OfType<string>().Distinct().Select(_users.Get).OfType<OrgUser>()];
                answer = Classic([.. matches.Take(limit)], matches.Count > limit, u => u.Id);
            }
            else if (_users.Page(after, limit) is { } page)
            {
                answer = Classic(page.Items, page.HasMore, u => u.Id);
            }
            else
            {
                return BadCursor(context, "after", after!);
            }
        }

        return Ok(context, answer, Json.ClassicListOrgUser);
    }

    private Task GetUser(HttpContext context)
    {
        var id = RouteValue(context, "user_id");
        OrgUser? user;
        lock (_gate)
        {
            user = _users.Get(id);
        }

        return user is null ? NotFound(context, "user", id) : Ok(context, user, Json.OrgUser);
    }

    private async Task ModifyUser(HttpContext context)
    {
        var id = RouteValue(context, "user_id");
        if (await ReadAsync(context, Json.UserUpdate) is not { } update)
        {
            await BadJson(context);
            return;
        }

        if (update.Role is { } role && !OrgRoles.Contains(role))
        {
            await Fail(context, 400, $"Invalid role '{role}': expected one of owner, reader.", "role");
            return;
        }

        OrgUser? user;
        bool unknownRole;
        lock (_gate)
        {
            user = _users.Get(id);
            unknownRole = update.RoleId is { } roleId && !_roles.Contains(roleId);
            if (user is not null && !unknownRole)
            {
                user = user with
                {
                    Role = update.Role ?? user.Role,
                    TechnicalLevel = update.TechnicalLevel ?? user.TechnicalLevel,
                    DeveloperPersona = update.DeveloperPersona ?? user.DeveloperPersona,
                };
                _users.Replace(user);
                Audit("user.updated", id, null, new JsonObject { ["role"] = user.Role });
            }
        }

        await (user is null ? NotFound(context, "user", id)
            : unknownRole ? Fail(context, 400, $"No such role: '{update.RoleId}'.", "role_id")
            : Ok(context, user, Json.OrgUser));
    }

    /// <summary>Removing someone from the organisation also takes them out of projects, groups and role assignments;
    /// their project keys stay but their owner no longer has access (owner_project_access "inactive").</summary>
    private Task DeleteUser(HttpContext context)
    {
        var id = RouteValue(context, "user_id");
        lock (_gate)
        {
            if (_users.Remove(id) is not { } removed)
            {
                return NotFound(context, "user", id);
            }

            if (removed.Email is { } email && _userIdByEmail.GetValueOrDefault(email) == id)
            {
                _userIdByEmail.Remove(email);
            }

            foreach (var project in _projects.Items)
            {
                project.Users.Remove(id);
                DeactivateKeysOf(project, id);
            }

            foreach (var members in _groupUsers.Values)
            {
                members.Remove(id);
            }

            foreach (var key in _assignments.Keys.Where(k => AssignmentKey.Parse(k) is { PrincipalType: "user" } a && a.PrincipalId == id).ToList())
            {
                _assignments.Remove(key);
            }

            Audit("user.deleted", id, null, null);
        }

        return Ok(context, new DeletedResponse("organization.user.deleted", true) { Id = id }, Json.DeletedResponse);
    }

    private static void DeactivateKeysOf(ProjectState project, string userId)
    {
        foreach (var key in project.ApiKeys.Items.Where(k => k.Owner.User?.Id == userId && k.OwnerProjectAccess == "active").ToList())
        {
            project.ApiKeys.Replace(key with { OwnerProjectAccess = "inactive" });
        }
    }

    private Task ListInvites(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        var after = QueryValue(context, "after");
        ClassicList<Invite> answer;
        lock (_gate)
        {
            if (_invites.Page(after, limit) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Classic(page.Items, page.HasMore, i => i.Id);
        }

        return Ok(context, answer, Json.ClassicListInvite);
    }

    /// <summary>
    /// Sends an invite. The API does not refuse a second invite to the same address, so neither does the simulator:
    /// avoiding duplicates is the caller's job (and what the adapter's idempotence is tested against).
    /// </summary>
    private async Task CreateInvite(HttpContext context)
    {
        if (await ReadAsync(context, Json.InviteRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@', StringComparison.Ordinal))
        {
            await Fail(context, 400, "Invalid 'email': a valid email address is required.", "email");
            return;
        }

        if (request.Role is not { } role || !OrgRoles.Contains(role))
        {
            await Fail(context, 400, $"Invalid 'role': expected one of reader, owner.", "role");
            return;
        }

        var projects = request.Projects ?? [];
        if (projects.FirstOrDefault(p => !ProjectRoles.Contains(p.Role)) is { } badRole)
        {
            await Fail(context, 400, $"Invalid project role '{badRole.Role}': expected one of member, owner.", "projects");
            return;
        }

        Invite? invite = null;
        (string Message, string Param)? problem = null;
        lock (_gate)
        {
            if (projects.FirstOrDefault(p => _projects.Get(p.Id) is not { Archived: false }) is { } missing)
            {
                problem = ($"Project '{missing.Id}' does not exist or is archived.", "projects");
            }
            else if (_userIdByEmail.ContainsKey(request.Email.Trim()))
            {
                problem = ("This user is already a member of the organization.", "email");
            }
            else
            {
                var now = Now();
                invite = new Invite
                {
                    Id = NewId("invite-"),
                    Email = request.Email.Trim(),
                    Role = role,
                    CreatedAt = now,
                    ExpiresAt = now + InviteLifetimeSeconds,
                    Projects = projects,
                };
                _invites.Add(invite);
                Audit("invite.sent", invite.Id, null, new JsonObject { ["email"] = invite.Email, ["role"] = role });
            }
        }

        await (problem is { } failure ? Fail(context, 400, failure.Message, failure.Param) : Ok(context, invite!, Json.Invite));
    }

    private Task GetInvite(HttpContext context)
    {
        var id = RouteValue(context, "invite_id");
        Invite? invite;
        lock (_gate)
        {
            invite = _invites.Get(id);
        }

        return invite is null ? NotFound(context, "invite", id) : Ok(context, invite, Json.Invite);
    }

    private Task DeleteInvite(HttpContext context)
    {
        var id = RouteValue(context, "invite_id");
        lock (_gate)
        {
            switch (_invites.Get(id))
            {
                case null:
                    return NotFound(context, "invite", id);
                case { Status: "accepted" }:
                    // "If the invite has already been accepted, it cannot be deleted." (spec, delete-invite)
                    return Fail(context, 400, "Invite has already been accepted and cannot be deleted.", "invite_id");
            }

            _invites.Remove(id);
            Audit("invite.deleted", id, null, null);
        }

        return Ok(context, new DeletedResponse("organization.invite.deleted", true) { Id = id }, Json.DeletedResponse);
    }

    private Task ListAdminKeys(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        if (Descending(context, fallback: false) is not { } descending)
        {
            return Fail(context, 400, "Invalid 'order': expected asc or desc.", "order");
        }

        var after = QueryValue(context, "after");
        ClassicList<AdminApiKey> answer;
        lock (_gate)
        {
            if (_adminKeys.Page(after, limit, descending) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Classic(page.Items, page.HasMore, k => k.Id);
        }

        return Ok(context, answer, Json.ClassicListAdminApiKey);
    }

    private Task GetAdminKey(HttpContext context)
    {
        var id = RouteValue(context, "key_id");
        AdminApiKey? key;
        lock (_gate)
        {
            key = _adminKeys.Get(id);
        }

        return key is null ? NotFound(context, "admin API key", id) : Ok(context, key, Json.AdminApiKey);
    }

    /// <summary>Newest first; <c>effective_at[gt|gte|lt|lte]</c> and the id/type/email array filters, as the spec lists them.</summary>
    private Task ListAuditLogs(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        long? Bound(string op)
        {
            var text = QueryValue(context, $"effective_at[{op}]");
            return text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        var (gt, gte, lt, lte) = (Bound("gt"), Bound("gte"), Bound("lt"), Bound("lte"));
        var projects = QueryArray(context, "project_ids").ToHashSet(StringComparer.Ordinal);
        var types = QueryArray(context, "event_types").ToHashSet(StringComparer.Ordinal);
        var actors = QueryArray(context, "actor_ids").ToHashSet(StringComparer.Ordinal);
        var emails = QueryArray(context, "actor_emails").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var resources = QueryArray(context, "resource_ids").ToHashSet(StringComparer.Ordinal);
        bool Matches(AuditEntry e) =>
            (gt is null || e.EffectiveAt > gt) && (gte is null || e.EffectiveAt >= gte)
            && (lt is null || e.EffectiveAt < lt) && (lte is null || e.EffectiveAt <= lte)
            && (projects.Count == 0 || (e.ProjectId is { } p && projects.Contains(p)))
            && (types.Count == 0 || types.Contains(e.Type))
            && (actors.Count == 0 || (e.ActorId is { } a && actors.Contains(a)))
            && (emails.Count == 0 || (e.ActorEmail is { } m && emails.Contains(m)))
            && (resources.Count == 0 || (e.ResourceId is { } r && resources.Contains(r)));

        var after = QueryValue(context, "after");
        var before = QueryValue(context, "before");
        ClassicList<JsonElement> answer;
        lock (_gate)
        {
            if (_audit.Page(after, before, limit, Matches) is not { } page)
            {
                return BadCursor(context, before is null ? "after" : "before", (before ?? after)!);
            }

            answer = new ClassicList<JsonElement>(
                [.. page.Items.Select(e => e.Json)],
                page.Items.Count > 0 ? page.Items[0].Id : null,
                page.Items.Count > 0 ? page.Items[^1].Id : null,
                page.HasMore);
        }

        return Ok(context, answer, Json.ClassicListJsonElement);
    }

    /// <summary>Records a change the simulator made, as the live API does, attributed to the admin key in use.</summary>
    private void Audit(string type, string resourceId, string? projectId, JsonObject? data)
    {
        var adminKey = _adminKeys.Items.FirstOrDefault();
        var payload = new JsonObject { ["id"] = resourceId };
        if (data is not null)
        {
            payload["data"] = data;
        }

        var apiKey = new JsonObject { ["id"] = adminKey?.Id ?? "key_sim_admin", ["type"] = "user" };
        if (adminKey is not null)
        {
            apiKey["user"] = new JsonObject { ["id"] = adminKey.Owner.Id };
        }

        var now = Now();
        var id = $"audit_log-{NewId("")[..12]}_{DateTimeOffset.FromUnixTimeSeconds(now):yyyyMMdd}";
        var json = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["effective_at"] = now,
            ["actor"] = new JsonObject { ["type"] = "api_key", ["api_key"] = apiKey },
            [type] = payload,
        };
        if (projectId is not null)
        {
            json["project"] = new JsonObject { ["id"] = projectId, ["name"] = _projects.Get(projectId)?.Project.Name };
        }

        using var document = JsonDocument.Parse(json.ToJsonString());
        if (AuditEntry.From(document.RootElement) is { } entry)
        {
            _audit.Append(entry);
        }
    }
}
