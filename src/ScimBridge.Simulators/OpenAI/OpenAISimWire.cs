using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Simulators.OpenAI;

// What the simulator stores and answers, in the OpenAI Admin API's wire format (openai/openai-openapi,
// components.schemas). Fields the spec marks required but nullable are always written (as null); optional ones are
// left out when unset. Records are immutable so a response can be serialized outside the state lock.

internal sealed record ClassicList<T>(List<T> Data, string? FirstId, string? LastId, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "list";
}

internal sealed record RbacList<T>(List<T> Data, bool HasMore, string? Next)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "list";
}

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(string? Code, string Message, string? Param, string Type);

internal sealed record DeletedResponse(string Object, bool Deleted)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }
}

/// <summary><c>organization.user</c>.</summary>
internal sealed record OrgUser
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.user";

    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Role { get; init; }

    public long AddedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsDefault { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsServiceAccount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsScimManaged { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ApiKeyLastUsedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TechnicalLevel { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeveloperPersona { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UserDetail? User { get; init; }
}

internal sealed record UserDetail
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "user";

    public string Id { get; init; } = "";

    public string? Email { get; init; }

    public string? Name { get; init; }

    public bool? Enabled { get; init; }

    public bool? Banned { get; init; }
}

internal sealed record UserUpdate(string? Role, string? RoleId, string? TechnicalLevel, string? DeveloperPersona);

/// <summary>
/// <c>organization.invite</c>. The 2025 spec called the creation time <c>invited_at</c>; a seed may use either name,
/// and an invite seeded with <c>invited_at</c> keeps emitting it next to <c>created_at</c>.
/// </summary>
internal sealed record Invite
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.invite";

    public required string Id { get; init; }

    public required string Email { get; init; }

    public required string Role { get; init; }

    public string Status { get; init; } = "pending";

    public long? CreatedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InvitedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public long? AcceptedAt { get; init; }

    public List<InviteProject> Projects { get; init; } = [];
}

internal sealed record InviteProject(string Id, string Role);

internal sealed record InviteRequest(string? Email, string? Role, List<InviteProject>? Projects);

/// <summary><c>organization.project</c>.</summary>
internal sealed record Project
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project";

    public required string Id { get; init; }

    public string? Name { get; init; }

    public long CreatedAt { get; init; }

    public long? ArchivedAt { get; init; }

    public string Status { get; init; } = "active";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExternalKeyId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Residency { get; init; }
}

internal sealed record ProjectRequest(string? Name, string? Residency, string? ExternalKeyId);

/// <summary><c>organization.project.user</c>.</summary>
internal sealed record ProjectUser
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project.user";

    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public required string Role { get; init; }

    public long AddedAt { get; init; }
}

internal sealed record ProjectUserRequest(string? UserId, string? Email, string? Role);

/// <summary><c>organization.project.service_account</c>.</summary>
internal sealed record ServiceAccount
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project.service_account";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Role { get; init; } = "member";

    public long CreatedAt { get; init; }
}

/// <summary>The create answer: the service account plus <c>api_key</c> (null with <c>create_service_account_only</c>).</summary>
internal sealed record ServiceAccountCreated(string Object, string Id, string Name, string Role, long CreatedAt, ServiceAccountApiKey? ApiKey);

internal sealed record ServiceAccountApiKey(string Value, string Name, long CreatedAt, string Id)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project.service_account.api_key";
}

internal sealed record ServiceAccountRequest(string? Name, bool? CreateServiceAccountOnly, string? Role);

internal sealed record ServiceAccountKeyRequest(string? Name, List<string>? Scopes);

/// <summary><c>organization.project.api_key</c>.</summary>
internal sealed record ProjectApiKey
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project.api_key";

    public required string RedactedValue { get; init; }

    public required string Name { get; init; }

    public long CreatedAt { get; init; }

    public long? LastUsedAt { get; init; }

    public required string Id { get; init; }

    public string OwnerProjectAccess { get; init; } = "active";

    public required KeyOwner Owner { get; init; }
}

internal sealed record KeyOwner
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KeyOwnerUser? User { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KeyOwnerServiceAccount? ServiceAccount { get; init; }
}

internal sealed record KeyOwnerUser(string Id, string Email, string Name, long CreatedAt, string Role);

internal sealed record KeyOwnerServiceAccount(string Id, string Name, long CreatedAt, string Role);

/// <summary><c>organization.admin_api_key</c>.</summary>
internal sealed record AdminApiKey
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.admin_api_key";

    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string RedactedValue { get; init; }

    public long CreatedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public long? LastUsedAt { get; init; }

    public required AdminKeyOwner Owner { get; init; }
}

internal sealed record AdminKeyOwner(string Type, string Object, string Id, string Name, long CreatedAt, string Role);

/// <summary>A group as GroupResponse gives it; the list example also carries <c>object: "group"</c>.</summary>
internal sealed record Group
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "group";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public long CreatedAt { get; init; }

    public bool IsScimManaged { get; init; }

    public string GroupType { get; init; } = "group";
}

/// <summary>The older Group schema inside <c>group.role</c> answers: <c>scim_managed</c>, not <c>is_scim_managed</c>.</summary>
internal sealed record GroupRef(string Id, string Name, long CreatedAt, bool ScimManaged)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "group";
}

internal sealed record NameRequest(string? Name);

/// <summary>Seed and snapshot form of group membership: the <c>group.user</c> object.</summary>
internal sealed record GroupUserAssignment(string UserId, string GroupId)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "group.user";
}

internal sealed record GroupUserRequest(string? UserId);

/// <summary>A group-users list item (GroupUser).</summary>
internal sealed record GroupUser(string Id, string? Name, string? Email);

/// <summary>GET /organization/groups/{id}/users/{user_id} (GroupMemberUser).</summary>
internal sealed record GroupMemberUser(string Id, string? Name, string? Email, string? Picture, bool? IsServiceAccount, string UserType);

/// <summary>A role (organisation or project).</summary>
internal sealed record Role
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "role";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public List<string> Permissions { get; init; } = [];

    public string ResourceType { get; init; } = "api.organization";

    public bool PredefinedRole { get; init; }
}

internal sealed record RoleRequest(string? RoleName, List<string>? Permissions, string? Description);

internal sealed record RoleIdRequest(string? RoleId);

/// <summary>A role-assignments list item and GET …/roles/{role_id} (AssignedRoleDetails).</summary>
internal sealed record AssignedRoleDetails(
    string Id,
    string Name,
    List<string> Permissions,
    string ResourceType,
    bool PredefinedRole,
    string? Description,
    long? CreatedAt,
    long? UpdatedAt,
    string? CreatedBy,
    Dictionary<string, string>? CreatedByUserObj,
    Dictionary<string, string>? Metadata,
    List<AssignmentSource>? AssignmentSources);

internal sealed record AssignmentSource(string PrincipalId, string PrincipalType);

internal sealed record UserRoleAssignment(OrgUser User, Role Role)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "user.role";
}

internal sealed record GroupRoleAssignment(GroupRef Group, Role Role)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "group.role";
}

/// <summary>
/// Seed and snapshot form of a role assignment: the <c>user.role</c>/<c>group.role</c> object with the user, group and
/// role cut down to their ids, plus <c>project_id</c> for a project-scoped assignment (null at organisation scope).
/// </summary>
internal sealed record SeedRoleAssignment
{
    [JsonPropertyOrder(-1)]
    public required string Object { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IdRef? User { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IdRef? Group { get; init; }

    public required IdRef Role { get; init; }

    public string? ProjectId { get; init; }
}

internal sealed record IdRef(string Id);

/// <summary>A project in a seed or snapshot: the project object with its users, service accounts, keys and roles nested.</summary>
internal sealed record SeedProject
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "organization.project";

    public required string Id { get; init; }

    public string? Name { get; init; }

    public long CreatedAt { get; init; }

    public long? ArchivedAt { get; init; }

    public string? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExternalKeyId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Residency { get; init; }

    public List<ProjectUser>? Users { get; init; }

    public List<ServiceAccount>? ServiceAccounts { get; init; }

    public List<ProjectApiKey>? ApiKeys { get; init; }

    public List<Role>? Roles { get; init; }
}

/// <summary>The seed file (and <c>/_sim/state</c>): every collection in wire format; see OpenAI/README.md.</summary>
internal sealed record SeedDocument
{
    public List<OrgUser>? Users { get; init; }

    public List<Invite>? Invites { get; init; }

    public List<SeedProject>? Projects { get; init; }

    public List<Group>? Groups { get; init; }

    public List<GroupUserAssignment>? GroupUsers { get; init; }

    public List<Role>? Roles { get; init; }

    public List<SeedRoleAssignment>? RoleAssignments { get; init; }

    public List<AdminApiKey>? AdminApiKeys { get; init; }

    public List<JsonElement>? AuditLogs { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ClassicList<OrgUser>))]
[JsonSerializable(typeof(ClassicList<Invite>))]
[JsonSerializable(typeof(ClassicList<Project>))]
[JsonSerializable(typeof(ClassicList<ProjectUser>))]
[JsonSerializable(typeof(ClassicList<ServiceAccount>))]
[JsonSerializable(typeof(ClassicList<ProjectApiKey>))]
[JsonSerializable(typeof(ClassicList<AdminApiKey>))]
[JsonSerializable(typeof(ClassicList<JsonElement>))]
[JsonSerializable(typeof(RbacList<Group>))]
[JsonSerializable(typeof(RbacList<GroupUser>))]
[JsonSerializable(typeof(RbacList<Role>))]
[JsonSerializable(typeof(RbacList<AssignedRoleDetails>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(DeletedResponse))]
[JsonSerializable(typeof(OrgUser))]
[JsonSerializable(typeof(UserUpdate))]
[JsonSerializable(typeof(Invite))]
[JsonSerializable(typeof(InviteRequest))]
[JsonSerializable(typeof(Project))]
[JsonSerializable(typeof(ProjectRequest))]
[JsonSerializable(typeof(ProjectUser))]
[JsonSerializable(typeof(ProjectUserRequest))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(ServiceAccountCreated))]
[JsonSerializable(typeof(ServiceAccountApiKey))]
[JsonSerializable(typeof(ServiceAccountRequest))]
[JsonSerializable(typeof(ServiceAccountKeyRequest))]
[JsonSerializable(typeof(ProjectApiKey))]
[JsonSerializable(typeof(AdminApiKey))]
[JsonSerializable(typeof(Group))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(GroupUserAssignment))]
[JsonSerializable(typeof(GroupUserRequest))]
[JsonSerializable(typeof(GroupMemberUser))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(RoleRequest))]
[JsonSerializable(typeof(RoleIdRequest))]
[JsonSerializable(typeof(AssignedRoleDetails))]
[JsonSerializable(typeof(UserRoleAssignment))]
[JsonSerializable(typeof(GroupRoleAssignment))]
[JsonSerializable(typeof(SeedDocument))]
internal sealed partial class OpenAISimJson : JsonSerializerContext;
