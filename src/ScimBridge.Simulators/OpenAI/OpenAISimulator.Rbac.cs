using System.Text.Json.Nodes;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.OpenAI;

// The RBAC surface: groups and their users, organisation and project roles, and role assignments at both scopes.
// These lists use the newer envelope ({data, has_more, next}; page on with after=next) and take limit 0–1000.
public sealed partial class OpenAISimulator
{
    private void MapRbac(IEndpointRouteBuilder v1)
    {
        Get(v1, "/organization/groups", ListGroups);
        Post(v1, "/organization/groups", CreateGroup);
        Get(v1, "/organization/groups/{group_id}", GetGroup);
        Post(v1, "/organization/groups/{group_id}", UpdateGroup);
        Delete(v1, "/organization/groups/{group_id}", DeleteGroup);
        Get(v1, "/organization/groups/{group_id}/users", ListGroupUsers);
        Post(v1, "/organization/groups/{group_id}/users", AddGroupUser);
        Get(v1, "/organization/groups/{group_id}/users/{user_id}", GetGroupUser);
        Delete(v1, "/organization/groups/{group_id}/users/{user_id}", RemoveGroupUser);

        // Organisation roles sit under /organization; project roles and project assignments under /projects, without it.
        foreach (var (prefix, project) in new[] { ("/organization", false), ("/projects/{project_id}", true) })
        {
            Get(v1, prefix + "/roles", context => ListRoles(context, project));
            Post(v1, prefix + "/roles", context => CreateRole(context, project));
            Get(v1, prefix + "/roles/{role_id}", context => GetRole(context, project));
            Post(v1, prefix + "/roles/{role_id}", context => UpdateRole(context, project));
            Delete(v1, prefix + "/roles/{role_id}", context => DeleteRole(context, project));
            foreach (var (collection, principalType, idName) in new[] { ("users", "user", "user_id"), ("groups", "group", "group_id") })
            {
                var scope = new AssignmentScope(project, principalType, idName);
                var path = $"{prefix}/{collection}/{{{idName}}}/roles";
                Get(v1, path, context => ListAssignments(context, scope));
                Post(v1, path, context => Assign(context, scope));
                Get(v1, path + "/{role_id}", context => GetAssignment(context, scope));
                Delete(v1, path + "/{role_id}", context => Unassign(context, scope));
            }
        }
    }

    private Task ListGroups(HttpContext context)
    {
        if (Limit(context, 0, 1000, 100) is not { } limit)
        {
            return BadLimit(context, 0, 1000);
        }

        if (Descending(context, fallback: false) is not { } descending)
        {
            return Fail(context, 400, "Invalid 'order': expected asc or desc.", "order");
        }

        var after = QueryValue(context, "after");
        RbacList<Group> answer;
        lock (_gate)
        {
            if (_groups.Page(after, limit, descending) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Rbac(page.Items, page.HasMore, g => g.Id, after);
        }

        return Ok(context, answer, Json.RbacListGroup);
    }

    private async Task CreateGroup(HttpContext context)
    {
        if (await ReadAsync(context, Json.NameRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (request.Name is not { Length: >= 1 and <= 255 } name)
        {
            await Fail(context, 400, "Invalid 'name': 1 to 255 characters.", "name");
            return;
        }

        var group = new Group { Id = NewId("group_"), Name = name, CreatedAt = Now() };
        lock (_gate)
        {
            _groups.Add(group);
            Audit("group.created", group.Id, null, new JsonObject { ["group_name"] = name });
        }

        await Ok(context, group, Json.Group);
    }

    private Task GetGroup(HttpContext context)
    {
        var id = RouteValue(context, "group_id");
        Group? group;
        lock (_gate)
        {
            group = _groups.Get(id);
        }

        return group is null ? NotFound(context, "group", id) : Ok(context, group, Json.Group);
    }

    private async Task UpdateGroup(HttpContext context)
    {
        var id = RouteValue(context, "group_id");
        if (await ReadAsync(context, Json.NameRequest) is not { Name: { Length: >= 1 and <= 255 } name })
        {
            await Fail(context, 400, "Invalid 'name': 1 to 255 characters.", "name");
            return;
        }

        Group? group = null;
        lock (_gate)
        {
            if (_groups.Get(id) is { } current)
            {
                _groups.Replace(group = current with { Name = name });
                Audit("group.updated", id, null, null);
            }
        }

        await (group is null ? NotFound(context, "group", id) : Ok(context, group, Json.Group));
    }

    private Task DeleteGroup(HttpContext context)
    {
        var id = RouteValue(context, "group_id");
        lock (_gate)
        {
            if (_groups.Remove(id) is null)
            {
                return NotFound(context, "group", id);
            }

            _groupUsers.Remove(id);
            foreach (var key in _assignments.Keys.Where(k => AssignmentKey.Parse(k) is { PrincipalType: "group" } a && a.PrincipalId == id).ToList())
            {
                _assignments.Remove(key);
            }

            Audit("group.deleted", id, null, null);
        }

        return Ok(context, new DeletedResponse("group.deleted", true) { Id = id }, Json.DeletedResponse);
    }

    /// <summary>Group users default to newest first (the spec's <c>order</c> default is desc here, asc elsewhere).</summary>
    private Task ListGroupUsers(HttpContext context)
    {
        if (Limit(context, 0, 1000, 100) is not { } limit)
        {
            return BadLimit(context, 0, 1000);
        }

        if (Descending(context, fallback: true) is not { } descending)
        {
            return Fail(context, 400, "Invalid 'order': expected asc or desc.", "order");
        }

        var id = RouteValue(context, "group_id");
        var after = QueryValue(context, "after");
        RbacList<GroupUser> answer;
        lock (_gate)
        {
            if (!_groups.Contains(id))
            {
                return NotFound(context, "group", id);
            }

            if (GroupMembers(id).Page(after, limit, descending) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Rbac([.. page.Items.Select(m => _users.Get(m.UserId) is { } u ? new GroupUser(u.Id, u.Name, u.Email) : new GroupUser(m.UserId, null, null))], page.HasMore, u => u.Id, after);
        }

        return Ok(context, answer, Json.RbacListGroupUser);
    }

    private async Task AddGroupUser(HttpContext context)
    {
        var id = RouteValue(context, "group_id");
        if (await ReadAsync(context, Json.GroupUserRequest) is not { UserId: { Length: > 0 } userId })
        {
            await Fail(context, 400, "Missing required parameter: 'user_id'.", "user_id");
            return;
        }

        (int Status, string Message, string? Param)? failure = null;
        lock (_gate)
        {
            if (!_groups.Contains(id))
            {
                failure = (404, $"No such group: '{id}'.", null);
            }
            else if (!_users.Contains(userId))
            {
                failure = (400, "User is not a member of the organization.", "user_id");
            }
            else if (!GroupMembers(id).Add(new GroupMembership(userId, Now())))
            {
                failure = (400, "User is already a member of this group.", "user_id");
            }
        }

        await (failure is { } f
            ? Fail(context, f.Status, f.Message, f.Param)
            : Ok(context, new GroupUserAssignment(userId, id), Json.GroupUserAssignment));
    }

    private Task GetGroupUser(HttpContext context)
    {
        var (id, userId) = (RouteValue(context, "group_id"), RouteValue(context, "user_id"));
        GroupMemberUser? member = null;
        lock (_gate)
        {
            if (_groupUsers.TryGetValue(id, out var members) && members.Contains(userId))
            {
                var user = _users.Get(userId);
                member = new GroupMemberUser(userId, user?.Name ?? "", user?.Email, null, user?.IsServiceAccount ?? false, "user");
            }
        }

        return member is null ? NotFound(context, "group user", userId) : Ok(context, member, Json.GroupMemberUser);
    }

    private Task RemoveGroupUser(HttpContext context)
    {
        var (id, userId) = (RouteValue(context, "group_id"), RouteValue(context, "user_id"));
        lock (_gate)
        {
            if (!_groupUsers.TryGetValue(id, out var members) || members.Remove(userId) is null)
            {
                return NotFound(context, "group user", userId);
            }
        }

        return Ok(context, new DeletedResponse("group.user.deleted", true), Json.DeletedResponse);
    }

    /// <summary>The roles defined at a scope: the organisation's, or one project's. Null when the project does not exist.</summary>
    private OrderedStore<Role>? RolesOf(HttpContext context, bool project) =>
        project ? _projects.Get(RouteValue(context, "project_id"))?.Roles : _roles;

    private Task ListRoles(HttpContext context, bool project)
    {
        if (Limit(context, 0, 1000, 1000) is not { } limit)
        {
            return BadLimit(context, 0, 1000);
        }

        if (Descending(context, fallback: false) is not { } descending)
        {
            return Fail(context, 400, "Invalid 'order': expected asc or desc.", "order");
        }

        var after = QueryValue(context, "after");
        RbacList<Role> answer;
        lock (_gate)
        {
            if (RolesOf(context, project) is not { } roles)
            {
                return NotFound(context, "project", RouteValue(context, "project_id"));
            }

            if (roles.Page(after, limit, descending) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Rbac(page.Items, page.HasMore, r => r.Id, after);
        }

        return Ok(context, answer, Json.RbacListRole);
    }

    private async Task CreateRole(HttpContext context, bool project)
    {
        if (await ReadAsync(context, Json.RoleRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.RoleName) || request.Permissions is null)
        {
            await Fail(context, 400, "Missing required parameter: 'role_name' and 'permissions' are required.", request.RoleName is null ? "role_name" : "permissions");
            return;
        }

        var role = new Role
        {
            Id = NewId("role_"),
            Name = request.RoleName,
            Description = request.Description,
            Permissions = request.Permissions,
            ResourceType = project ? "api.project" : "api.organization",
        };
        var created = false;
        lock (_gate)
        {
            if (RolesOf(context, project) is { } roles)
            {
                created = roles.Add(role);
                Audit("role.created", role.Id, project ? RouteValue(context, "project_id") : null, null);
            }
        }

        await (created ? Ok(context, role, Json.Role) : NotFound(context, "project", RouteValue(context, "project_id")));
    }

    private Task GetRole(HttpContext context, bool project)
    {
        var id = RouteValue(context, "role_id");
        Role? role;
        lock (_gate)
        {
            role = RolesOf(context, project)?.Get(id);
        }

        return role is null ? NotFound(context, "role", id) : Ok(context, role, Json.Role);
    }

    private async Task UpdateRole(HttpContext context, bool project)
    {
        var id = RouteValue(context, "role_id");
        if (await ReadAsync(context, Json.RoleRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        Role? role = null;
        var predefined = false;
        lock (_gate)
        {
            if (RolesOf(context, project) is { } roles && roles.Get(id) is { } current)
            {
                predefined = current.PredefinedRole;
                if (!predefined)
                {
                    roles.Replace(role = current with
                    {
                        Name = request.RoleName ?? current.Name,
                        Permissions = request.Permissions ?? current.Permissions,
                        Description = request.Description ?? current.Description,
                    });
                }
            }
        }

        await (predefined
            ? Fail(context, 400, "Predefined roles cannot be modified.", "role_id")
            : role is null ? NotFound(context, "role", id) : Ok(context, role, Json.Role));
    }

    private Task DeleteRole(HttpContext context, bool project)
    {
        var id = RouteValue(context, "role_id");
        lock (_gate)
        {
            if (RolesOf(context, project) is not { } roles || roles.Get(id) is not { } role)
            {
                return NotFound(context, "role", id);
            }

            if (role.PredefinedRole)
            {
                return Fail(context, 400, "Predefined roles cannot be deleted.", "role_id");
            }

            roles.Remove(id);
            foreach (var assignments in _assignments.Values)
            {
                assignments.Remove(id);
            }
        }

        return Ok(context, new DeletedResponse("role.deleted", true) { Id = id }, Json.DeletedResponse);
    }

    private sealed record AssignmentScope(bool Project, string PrincipalType, string IdName);

    /// <summary>Resolves the scope, principal and (when named) role of an assignment route, or says which one is missing.</summary>
    private (AssignmentKey? Key, OrderedStore<Role>? Roles, string? Missing) Resolve(HttpContext context, AssignmentScope scope)
    {
        var projectId = scope.Project ? RouteValue(context, "project_id") : null;
        var principalId = RouteValue(context, scope.IdName);
        if (projectId is not null && !_projects.Contains(projectId))
        {
            return (null, null, $"project '{projectId}'");
        }

        var exists = scope.PrincipalType == "user" ? _users.Contains(principalId) : _groups.Contains(principalId);
        return exists
            ? (new AssignmentKey(projectId, scope.PrincipalType, principalId), RolesOf(context, scope.Project), null)
            : (null, null, $"{scope.PrincipalType} '{principalId}'");
    }

    private Task ListAssignments(HttpContext context, AssignmentScope scope)
    {
        if (Limit(context, 0, 1000, 100) is not { } limit)
        {
            return BadLimit(context, 0, 1000);
        }

        if (Descending(context, fallback: false) is not { } descending)
        {
            return Fail(context, 400, "Invalid 'order': expected asc or desc.", "order");
        }

        var after = QueryValue(context, "after");
        RbacList<AssignedRoleDetails> answer;
        lock (_gate)
        {
            var (key, roles, missing) = Resolve(context, scope);
            if (key is null)
            {
                return Fail(context, 404, $"No such {missing}.");
            }

            if (Assignments(key).Page(after, limit, descending) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Rbac([.. page.Items.Select(a => Details(key, roles!, a))], page.HasMore, r => r.Id, after);
        }

        return Ok(context, answer, Json.RbacListAssignedRoleDetails);
    }

    /// <summary>
    /// Assigning a project role to a user outside the project adds them as a member first, as the platform does
    /// (docs/platforms.md §6.4: custom project roles implicitly add Member).
    /// </summary>
    private async Task Assign(HttpContext context, AssignmentScope scope)
    {
        if (await ReadAsync(context, Json.RoleIdRequest) is not { RoleId: { Length: > 0 } roleId })
        {
            await Fail(context, 400, "Missing required parameter: 'role_id'.", "role_id");
            return;
        }

        (int Status, string Message, string? Param)? failure = null;
        Role? role = null;
        OrgUser? user = null;
        Group? group = null;
        lock (_gate)
        {
            var (key, roles, missing) = Resolve(context, scope);
            if (key is null)
            {
                failure = (404, $"No such {missing}.", null);
            }
            else if (roles!.Get(roleId) is not { } found)
            {
                failure = (404, $"No such role: '{roleId}'.", "role_id");
            }
            else if (key.ProjectId is { } projectId && _projects.Get(projectId) is { Archived: true })
            {
                failure = (400, "Archived projects cannot be modified.", "project_id");
            }
            else if (!Assignments(key).Add(new Assignment(roleId, Now())))
            {
                failure = (400, $"Role '{roleId}' is already assigned.", "role_id");
            }
            else
            {
                role = found;
                user = key.PrincipalType == "user" ? _users.Get(key.PrincipalId) : null;
                group = key.PrincipalType == "group" ? _groups.Get(key.PrincipalId) : null;
                if (user is not null && key.ProjectId is { } pid && _projects.Get(pid) is { } project && !project.Users.Contains(user.Id))
                {
                    project.Users.Add(new ProjectUser { Id = user.Id, Name = user.Name, Email = user.Email, Role = "member", AddedAt = Now() });
                }

                Audit("role.assignment.created", roleId, key.ProjectId, new JsonObject { ["principal_id"] = key.PrincipalId, ["principal_type"] = key.PrincipalType });
            }
        }

        if (failure is { } f)
        {
            await Fail(context, f.Status, f.Message, f.Param);
        }
        else if (user is not null)
        {
            await Ok(context, new UserRoleAssignment(user, role!), Json.UserRoleAssignment);
        }
        else
        {
            await Ok(context, new GroupRoleAssignment(new GroupRef(group!.Id, group.Name, group.CreatedAt, group.IsScimManaged), role!), Json.GroupRoleAssignment);
        }
    }

    private Task GetAssignment(HttpContext context, AssignmentScope scope)
    {
        var roleId = RouteValue(context, "role_id");
        AssignedRoleDetails? details = null;
        lock (_gate)
        {
            var (key, roles, _) = Resolve(context, scope);
            if (key is not null && Assignments(key).Get(roleId) is { } assignment)
            {
                details = Details(key, roles!, assignment);
            }
        }

        return details is null ? NotFound(context, "role assignment", roleId) : Ok(context, details, Json.AssignedRoleDetails);
    }

    private Task Unassign(HttpContext context, AssignmentScope scope)
    {
        var roleId = RouteValue(context, "role_id");
        lock (_gate)
        {
            var (key, _, _) = Resolve(context, scope);
            if (key is null || Assignments(key).Remove(roleId) is null)
            {
                return NotFound(context, "role assignment", roleId);
            }

            Audit("role.assignment.deleted", roleId, key.ProjectId, new JsonObject { ["principal_id"] = key.PrincipalId, ["principal_type"] = key.PrincipalType });
        }

        return Ok(context, new DeletedResponse(scope.PrincipalType == "user" ? "user.role.deleted" : "group.role.deleted", true), Json.DeletedResponse);
    }

    private static AssignedRoleDetails Details(AssignmentKey key, OrderedStore<Role> roles, Assignment assignment)
    {
        // A seed may assign a role it does not define; answer with what is known rather than fail the whole list.
        var role = roles.Get(assignment.RoleId) ?? new Role { Id = assignment.RoleId, Name = assignment.RoleId };
        return new AssignedRoleDetails(
            role.Id,
            role.Name,
            role.Permissions,
            role.ResourceType,
            role.PredefinedRole,
            role.Description,
            assignment.CreatedAt,
            assignment.CreatedAt,
            null,
            null,
            [],
            [new AssignmentSource(key.PrincipalId, key.PrincipalType)]);
    }

    private static RbacList<T> Rbac<T>(List<T> items, bool hasMore, Func<T, string> id, string? after) =>
        new(items, hasMore, hasMore ? (items.Count > 0 ? id(items[^1]) : after) : null);
}
