using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.OpenAI;

// Projects, project users, project service accounts and project API keys.
public sealed partial class OpenAISimulator
{
    private static readonly string[] KeyAccessFilters = ["active", "inactive", "any"];

    private void MapProjects(IEndpointRouteBuilder v1)
    {
        Get(v1, "/organization/projects", ListProjects);
        Post(v1, "/organization/projects", CreateProject);
        Get(v1, "/organization/projects/{project_id}", GetProject);
        Post(v1, "/organization/projects/{project_id}", ModifyProject);
        Post(v1, "/organization/projects/{project_id}/archive", ArchiveProject);

        Get(v1, "/organization/projects/{project_id}/users", ListProjectUsers);
        Post(v1, "/organization/projects/{project_id}/users", AddProjectUser);
        Get(v1, "/organization/projects/{project_id}/users/{user_id}", GetProjectUser);
        Post(v1, "/organization/projects/{project_id}/users/{user_id}", ModifyProjectUser);
        Delete(v1, "/organization/projects/{project_id}/users/{user_id}", DeleteProjectUser);

        Get(v1, "/organization/projects/{project_id}/service_accounts", ListServiceAccounts);
        Post(v1, "/organization/projects/{project_id}/service_accounts", CreateServiceAccount);
        Get(v1, "/organization/projects/{project_id}/service_accounts/{service_account_id}", GetServiceAccount);
        Post(v1, "/organization/projects/{project_id}/service_accounts/{service_account_id}", ModifyServiceAccount);
        Delete(v1, "/organization/projects/{project_id}/service_accounts/{service_account_id}", DeleteServiceAccount);
        Post(v1, "/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys", CreateServiceAccountKey);

        Get(v1, "/organization/projects/{project_id}/api_keys", ListApiKeys);
        Get(v1, "/organization/projects/{project_id}/api_keys/{api_key_id}", GetApiKey);
        Delete(v1, "/organization/projects/{project_id}/api_keys/{api_key_id}", DeleteApiKey);
    }

    private Task ListProjects(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        var includeArchived = string.Equals(QueryValue(context, "include_archived"), "true", StringComparison.OrdinalIgnoreCase);
        var after = QueryValue(context, "after");
        ClassicList<Project> answer;
        lock (_gate)
        {
            if (_projects.Page(after, limit, filter: p => includeArchived || !p.Archived) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Classic([.. page.Items.Select(p => p.Project)], page.HasMore, p => p.Id);
        }

        return Ok(context, answer, Json.ClassicListProject);
    }

    private async Task CreateProject(HttpContext context)
    {
        if (await ReadAsync(context, Json.ProjectRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            await Fail(context, 400, "Missing required parameter: 'name'.", "name");
            return;
        }

        var project = new Project
        {
            Id = NewId("proj_"),
            Name = request.Name,
            CreatedAt = Now(),
            ExternalKeyId = request.ExternalKeyId,
            Residency = request.Residency,
        };
        lock (_gate)
        {
            _projects.Add(new ProjectState(project));
            Audit("project.created", project.Id, project.Id, new JsonObject { ["name"] = project.Name });
        }

        await Ok(context, project, Json.Project);
    }

    private Task GetProject(HttpContext context)
    {
        var id = RouteValue(context, "project_id");
        Project? project;
        lock (_gate)
        {
            project = _projects.Get(id)?.Project;
        }

        return project is null ? NotFound(context, "project", id) : Ok(context, project, Json.Project);
    }

    private async Task ModifyProject(HttpContext context)
    {
        var id = RouteValue(context, "project_id");
        if (await ReadAsync(context, Json.ProjectRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        Project? project = null;
        var archived = false;
        lock (_gate)
        {
            if (_projects.Get(id) is { } state)
            {
                archived = state.Archived;
                if (!archived)
                {
                    project = state.Project = state.Project with
                    {
                        Name = request.Name ?? state.Project.Name,
                        ExternalKeyId = request.ExternalKeyId ?? state.Project.ExternalKeyId,
                    };
                    Audit("project.updated", id, id, null);
                }
            }
        }

        await (archived
            ? Fail(context, 400, "Archived projects cannot be modified.", "project_id")
            : project is null ? NotFound(context, "project", id) : Ok(context, project, Json.Project));
    }

    private Task ArchiveProject(HttpContext context)
    {
        var id = RouteValue(context, "project_id");
        Project project;
        lock (_gate)
        {
            if (_projects.Get(id) is not { } state)
            {
                return NotFound(context, "project", id);
            }

            if (!state.Archived)
            {
                state.Project = state.Project with { Status = "archived", ArchivedAt = Now() };
                Audit("project.archived", id, id, null);
            }

            project = state.Project;
        }

        return Ok(context, project, Json.Project);
    }

    private Task ListProjectUsers(HttpContext context) =>
        ListInProject(context, p => p.Users, u => u.Id, null, Json.ClassicListProjectUser);

    /// <summary>"Users must already be members of the organization to be added to a project." (spec, create-project-user)</summary>
    private async Task AddProjectUser(HttpContext context)
    {
        var projectId = RouteValue(context, "project_id");
        if (await ReadAsync(context, Json.ProjectUserRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (request.Role is not { } role || !ProjectRoles.Contains(role))
        {
            await Fail(context, 400, "Invalid 'role': expected one of owner, member.", "role");
            return;
        }

        var (status, message, param, added) = AddProjectUserLocked(projectId, request, role);
        await (added is not null ? Ok(context, added, Json.ProjectUser) : Fail(context, status, message!, param));
    }

    private (int Status, string? Message, string? Param, ProjectUser? Added) AddProjectUserLocked(string projectId, ProjectUserRequest request, string role)
    {
        lock (_gate)
        {
            if (_projects.Get(projectId) is not { } project)
            {
                return (404, $"No such project: '{projectId}'.", null, null);
            }

            if (project.Archived)
            {
                return (400, "Users cannot be added to an archived project.", "project_id", null);
            }

            var userId = request.UserId ?? (request.Email is { } email ? _userIdByEmail.GetValueOrDefault(email) : null);
            if (userId is null || _users.Get(userId) is not { } user)
            {
                return (400, "User is not a member of the organization; invite them first.", request.UserId is null ? "email" : "user_id", null);
            }

            if (project.Users.Contains(user.Id))
            {
                return (400, "User is already a member of this project.", "user_id", null);
            }

            var added = new ProjectUser { Id = user.Id, Name = user.Name, Email = user.Email, Role = role, AddedAt = Now() };
            project.Users.Add(added);
            ReactivateKeysOf(project, user.Id);
            return (200, null, null, added);
        }
    }

    private static void ReactivateKeysOf(ProjectState project, string userId)
    {
        foreach (var key in project.ApiKeys.Items.Where(k => k.Owner.User?.Id == userId && k.OwnerProjectAccess == "inactive").ToList())
        {
            project.ApiKeys.Replace(key with { OwnerProjectAccess = "active" });
        }
    }

    private Task GetProjectUser(HttpContext context) => GetInProject(context, "user_id", p => p.Users, "project user", Json.ProjectUser);

    private async Task ModifyProjectUser(HttpContext context)
    {
        var (projectId, userId) = (RouteValue(context, "project_id"), RouteValue(context, "user_id"));
        if (await ReadAsync(context, Json.ProjectUserRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (request.Role is not { } role || !ProjectRoles.Contains(role))
        {
            await Fail(context, 400, "Invalid 'role': expected one of owner, member.", "role");
            return;
        }

        ProjectUser? user = null;
        var archived = false;
        lock (_gate)
        {
            if (_projects.Get(projectId) is { } project && project.Users.Get(userId) is { } current)
            {
                archived = project.Archived;
                if (!archived)
                {
                    user = current with { Role = role };
                    project.Users.Replace(user);
                }
            }
        }

        await (archived
            ? Fail(context, 400, "Archived projects cannot be modified.", "project_id")
            : user is null ? NotFound(context, "project user", userId) : Ok(context, user, Json.ProjectUser));
    }

    /// <summary>"…or an error if the project is archived (archived projects have no users)." (spec, delete-project-user)</summary>
    private Task DeleteProjectUser(HttpContext context)
    {
        var (projectId, userId) = (RouteValue(context, "project_id"), RouteValue(context, "user_id"));
        lock (_gate)
        {
            if (_projects.Get(projectId) is not { } project)
            {
                return NotFound(context, "project", projectId);
            }

            if (project.Archived)
            {
                return Fail(context, 400, "Archived projects have no users; users cannot be removed from them.", "project_id");
            }

            if (project.Users.Remove(userId) is null)
            {
                return NotFound(context, "project user", userId);
            }

            DeactivateKeysOf(project, userId);
        }

        return Ok(context, new DeletedResponse("organization.project.user.deleted", true) { Id = userId }, Json.DeletedResponse);
    }

    private Task ListServiceAccounts(HttpContext context) =>
        ListInProject(context, p => p.ServiceAccounts, a => a.Id, null, Json.ClassicListServiceAccount);

    /// <summary>
    /// Creates the account and, unless <c>create_service_account_only</c>, its first key. The key's value appears in this
    /// answer only; the project's key list shows the redacted value, owned by the service account.
    /// </summary>
    private async Task CreateServiceAccount(HttpContext context)
    {
        var projectId = RouteValue(context, "project_id");
        if (await ReadAsync(context, Json.ServiceAccountRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            await Fail(context, 400, "Missing required parameter: 'name'.", "name");
            return;
        }

        ServiceAccountCreated? created = null;
        var archived = false;
        lock (_gate)
        {
            if (_projects.Get(projectId) is { } project)
            {
                archived = project.Archived;
                if (!archived)
                {
                    var now = Now();
                    var keyless = request.CreateServiceAccountOnly == true;
                    var account = new ServiceAccount { Id = NewId("svc_acct_"), Name = request.Name, Role = keyless ? "none" : "member", CreatedAt = now };
                    project.ServiceAccounts.Add(account);
                    var key = keyless ? null : MintServiceAccountKey(project, account, "Secret Key", now);
                    created = new ServiceAccountCreated(account.Object, account.Id, account.Name, account.Role, account.CreatedAt, key);
                    Audit("service_account.created", account.Id, projectId, new JsonObject { ["role"] = account.Role });
                }
            }
        }

        await (archived
            ? Fail(context, 400, "Service accounts cannot be created in an archived project.", "project_id")
            : created is null ? NotFound(context, "project", projectId) : Ok(context, created, Json.ServiceAccountCreated));
    }

    private static ServiceAccountApiKey MintServiceAccountKey(ProjectState project, ServiceAccount account, string name, long now)
    {
        var value = NewSecret("sk-svcacct-");
        var id = NewId("key_");
        project.ApiKeys.Add(new ProjectApiKey
        {
            Id = id,
            Name = name,
            RedactedValue = Redact(value),
            CreatedAt = now,
            Owner = new KeyOwner
            {
                Type = "service_account",
                ServiceAccount = new KeyOwnerServiceAccount(account.Id, account.Name, account.CreatedAt, account.Role),
            },
        });
        return new ServiceAccountApiKey(value, name, now, id);
    }

    private Task GetServiceAccount(HttpContext context) =>
        GetInProject(context, "service_account_id", p => p.ServiceAccounts, "service account", Json.ServiceAccount);

    private async Task ModifyServiceAccount(HttpContext context)
    {
        var (projectId, id) = (RouteValue(context, "project_id"), RouteValue(context, "service_account_id"));
        if (await ReadAsync(context, Json.ServiceAccountRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        if (request.Role is { } role && !ProjectRoles.Contains(role))
        {
            await Fail(context, 400, "Invalid 'role': expected one of member, owner.", "role");
            return;
        }

        ServiceAccount? account = null;
        lock (_gate)
        {
            if (_projects.Get(projectId) is { } project && project.ServiceAccounts.Get(id) is { } current)
            {
                account = current with { Name = request.Name ?? current.Name, Role = request.Role ?? current.Role };
                project.ServiceAccounts.Replace(account);
                Audit("service_account.updated", id, projectId, null);
            }
        }

        await (account is null ? NotFound(context, "service account", id) : Ok(context, account, Json.ServiceAccount));
    }

    /// <summary>Deleting a service account deletes its keys with it: this is how a service-account key is revoked.</summary>
    private Task DeleteServiceAccount(HttpContext context)
    {
        var (projectId, id) = (RouteValue(context, "project_id"), RouteValue(context, "service_account_id"));
        lock (_gate)
        {
            if (_projects.Get(projectId) is not { } project || project.ServiceAccounts.Remove(id) is null)
            {
                return NotFound(context, "service account", id);
            }

            foreach (var key in project.ApiKeys.Items.Where(k => k.Owner.ServiceAccount?.Id == id).ToList())
            {
                project.ApiKeys.Remove(key.Id);
            }

            Audit("service_account.deleted", id, projectId, null);
        }

        return Ok(context, new DeletedResponse("organization.project.service_account.deleted", true) { Id = id }, Json.DeletedResponse);
    }

    private async Task CreateServiceAccountKey(HttpContext context)
    {
        var (projectId, id) = (RouteValue(context, "project_id"), RouteValue(context, "service_account_id"));
        if (await ReadAsync(context, Json.ServiceAccountKeyRequest) is not { } request)
        {
            await BadJson(context);
            return;
        }

        ServiceAccountApiKey? key = null;
        lock (_gate)
        {
            if (_projects.Get(projectId) is { Archived: false } project && project.ServiceAccounts.Get(id) is { } account)
            {
                key = MintServiceAccountKey(project, account, request.Name ?? "Secret Key", Now());
                Audit("api_key.created", key.Id, projectId, new JsonObject { ["scopes"] = new JsonArray([.. (request.Scopes ?? []).Select(s => JsonValue.Create(s))]) });
            }
        }

        await (key is null ? NotFound(context, "service account", id) : Ok(context, key, Json.ServiceAccountApiKey));
    }

    /// <summary>
    /// <c>owner_project_access</c>: active, inactive or any. Omitted, the live endpoint applies "membership-based
    /// visibility rules, which may exclude some enabled keys"; the simulator's version of that rule is "active only".
    /// </summary>
    private Task ListApiKeys(HttpContext context)
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        var access = QueryValue(context, "owner_project_access") ?? "active";
        if (!KeyAccessFilters.Contains(access))
        {
            return Fail(context, 400, "Invalid 'owner_project_access': expected one of active, inactive, any.", "owner_project_access");
        }

        return ListInProject(context, p => p.ApiKeys, k => k.Id, k => access == "any" || k.OwnerProjectAccess == access, Json.ClassicListProjectApiKey);
    }

    // One object under one project (a user, service account or key) by its id; an unknown project or id is a 404 naming the id.
    private Task GetInProject<T>(HttpContext context, string idParameter, Func<ProjectState, OrderedStore<T>> select, string what, JsonTypeInfo<T> type)
        where T : class
    {
        var (projectId, id) = (RouteValue(context, "project_id"), RouteValue(context, idParameter));
        T? item;
        lock (_gate)
        {
            item = _projects.Get(projectId) is { } project ? select(project).Get(id) : null;
        }

        return item is null ? NotFound(context, what, id) : Ok(context, item, type);
    }

    // The classic list of something under one project (users, service accounts, keys): limit 1–100, after-cursor, 404
    // for an unknown project.
    private Task ListInProject<T>(
        HttpContext context,
        Func<ProjectState, OrderedStore<T>> select,
        Func<T, string> id,
        Func<T, bool>? filter,
        JsonTypeInfo<ClassicList<T>> type)
        where T : class
    {
        if (Limit(context, 1, 100, 20) is not { } limit)
        {
            return BadLimit(context, 1, 100);
        }

        var projectId = RouteValue(context, "project_id");
        var after = QueryValue(context, "after");
        ClassicList<T> answer;
        lock (_gate)
        {
            if (_projects.Get(projectId) is not { } project)
            {
                return NotFound(context, "project", projectId);
            }

            if (select(project).Page(after, limit, filter: filter) is not { } page)
            {
                return BadCursor(context, "after", after!);
            }

            answer = Classic(page.Items, page.HasMore, id);
        }

        return Ok(context, answer, type);
    }

    private Task GetApiKey(HttpContext context) => GetInProject(context, "api_key_id", p => p.ApiKeys, "API key", Json.ProjectApiKey);

    /// <summary>"…or an error if the key belonged to a service account." (spec, delete-project-api-key)</summary>
    private Task DeleteApiKey(HttpContext context)
    {
        var (projectId, id) = (RouteValue(context, "project_id"), RouteValue(context, "api_key_id"));
        lock (_gate)
        {
            if (_projects.Get(projectId)?.ApiKeys.Get(id) is not { } key)
            {
                return NotFound(context, "API key", id);
            }

            if (key.Owner.Type == "service_account")
            {
                return Fail(
                    context,
                    400,
                    $"API key '{id}' belongs to service account '{key.Owner.ServiceAccount?.Id}'; delete the service account instead.",
                    "api_key_id");
            }

            _projects.Get(projectId)!.ApiKeys.Remove(id);
            Audit("api_key.deleted", id, projectId, null);
        }

        return Ok(context, new DeletedResponse("organization.project.api_key.deleted", true) { Id = id }, Json.DeletedResponse);
    }
}
