using System.Text.Json.Serialization;

namespace ScimBridge.Platforms.OpenAI;

// The OpenAI Admin API's wire objects, as far as the adapter reads them; field names per openai/openai-openapi
// (components.schemas). Timestamps are Unix seconds. Unknown fields are ignored, so newer fields never break a read.

/// <summary>The classic list envelope: <c>first_id</c>/<c>last_id</c>/<c>has_more</c>; page on with <c>after=last_id</c>.</summary>
internal sealed class ClassicList<T>
{
    public List<T> Data { get; init; } = [];

    public string? FirstId { get; init; }

    public string? LastId { get; init; }

    public bool HasMore { get; init; }
}

/// <summary>The RBAC list envelope (groups, roles, role assignments): <c>has_more</c>/<c>next</c>; page on with <c>after=next</c>.</summary>
internal sealed class RbacList<T>
{
    public List<T> Data { get; init; } = [];

    public bool HasMore { get; init; }

    public string? Next { get; init; }
}

internal sealed class ErrorEnvelope
{
    public ErrorDetail? Error { get; init; }
}

internal sealed class ErrorDetail
{
    public string? Code { get; init; }

    public string? Message { get; init; }

    public string? Param { get; init; }

    public string? Type { get; init; }
}

/// <summary><c>organization.user</c>; the 2025 spec had only the six core fields, the 2026 one adds the rest.</summary>
internal sealed class OrganizationUser
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Role { get; init; }

    public long? AddedAt { get; init; }

    public bool? IsServiceAccount { get; init; }

    public bool? IsScimManaged { get; init; }

    public long? ApiKeyLastUsedAt { get; init; }

    public UserAccount? User { get; init; }
}

internal sealed class UserAccount
{
    public bool? Enabled { get; init; }

    public bool? Banned { get; init; }
}

internal sealed record RoleBody(string Role);

/// <summary><c>organization.invite</c>: the 2025 spec named the creation time <c>invited_at</c>, the 2026 one <c>created_at</c>.</summary>
internal sealed class Invite
{
    public string Id { get; init; } = "";

    public string Email { get; init; } = "";

    public string? Role { get; init; }

    public string? Status { get; init; }

    public long? CreatedAt { get; init; }

    public long? InvitedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public long? AcceptedAt { get; init; }

    public List<InviteProject>? Projects { get; init; }
}

internal sealed record InviteProject(string Id, string Role);

internal sealed record InviteRequest(string Email, string Role, IReadOnlyList<InviteProject> Projects);

/// <summary><c>organization.project</c>.</summary>
internal sealed class Project
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public long? CreatedAt { get; init; }

    public long? ArchivedAt { get; init; }

    public string? Status { get; init; }

    public string? ExternalKeyId { get; init; }
}

internal sealed record NameBody(string Name);

/// <summary><c>organization.project.user</c>: role is "owner" or "member".</summary>
internal sealed class ProjectUser
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string Role { get; init; } = "";

    public long? AddedAt { get; init; }
}

internal sealed record ProjectUserCreate(string UserId, string Role);

/// <summary><c>organization.project.service_account</c>; the create answer adds <c>api_key</c> with the secret, once.</summary>
internal sealed class ServiceAccount
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? Role { get; init; }

    public long? CreatedAt { get; init; }

    public ServiceAccountKey? ApiKey { get; init; }
}

internal sealed class ServiceAccountKey
{
    public string Id { get; init; } = "";

    public string? Value { get; init; }

    public string? Name { get; init; }

    public long? CreatedAt { get; init; }
}

/// <summary><c>organization.project.api_key</c>: owned by a user or by a service account.</summary>
internal sealed class ProjectApiKey
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? RedactedValue { get; init; }

    public long? CreatedAt { get; init; }

    public long? LastUsedAt { get; init; }

    public string? OwnerProjectAccess { get; init; }

    public ApiKeyOwner? Owner { get; init; }
}

internal sealed class ApiKeyOwner
{
    public string? Type { get; init; }

    public KeyOwnerDetail? User { get; init; }

    public KeyOwnerDetail? ServiceAccount { get; init; }
}

internal sealed class KeyOwnerDetail
{
    public string Id { get; init; } = "";

    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Role { get; init; }

    public long? CreatedAt { get; init; }
}

/// <summary><c>organization.admin_api_key</c>; the owner is flattened (<c>{type, object, id, name, role}</c>).</summary>
internal sealed class AdminApiKey
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? RedactedValue { get; init; }

    public long? CreatedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public long? LastUsedAt { get; init; }

    public AdminKeyOwner? Owner { get; init; }
}

internal sealed class AdminKeyOwner
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Role { get; init; }
}

/// <summary>An audit log event; the per-type payload (<c>"project.archived": {…}</c>) is not read.</summary>
internal sealed class AuditLog
{
    public string Id { get; init; } = "";

    public string Type { get; init; } = "";

    public long EffectiveAt { get; init; }

    public AuditProject? Project { get; init; }

    public AuditActor? Actor { get; init; }
}

internal sealed class AuditProject
{
    public string? Id { get; init; }

    public string? Name { get; init; }
}

internal sealed class AuditActor
{
    public string? Type { get; init; }

    public AuditSession? Session { get; init; }

    public AuditApiKey? ApiKey { get; init; }
}

/// <summary>The spec's schema lists user and ip_address; its example and the live API also carry user_agent.</summary>
internal sealed class AuditSession
{
    public AuditUser? User { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }
}

internal sealed class AuditApiKey
{
    public string? Id { get; init; }

    public string? Type { get; init; }

    public AuditUser? User { get; init; }

    public AuditUser? ServiceAccount { get; init; }
}

internal sealed class AuditUser
{
    public string? Id { get; init; }

    public string? Email { get; init; }
}

/// <summary>A group (GroupResponse); <c>is_scim_managed</c> marks groups OpenAI's own SCIM sync owns.</summary>
internal sealed class Group
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public long? CreatedAt { get; init; }

    public bool? IsScimManaged { get; init; }

    public string? GroupType { get; init; }
}

/// <summary>A group member as the group-users list gives it (GroupUser).</summary>
internal sealed class GroupUser
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? Email { get; init; }
}

internal sealed record GroupUserCreate(string UserId);

/// <summary>A role definition, and (with its assignment fields) an AssignedRoleDetails list item.</summary>
internal sealed class Role
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public List<string>? Permissions { get; init; }

    public string? ResourceType { get; init; }

    public bool PredefinedRole { get; init; }
}

internal sealed record RoleIdBody(string RoleId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClassicList<OrganizationUser>))]
[JsonSerializable(typeof(ClassicList<Invite>))]
[JsonSerializable(typeof(ClassicList<Project>))]
[JsonSerializable(typeof(ClassicList<ProjectUser>))]
[JsonSerializable(typeof(ClassicList<ServiceAccount>))]
[JsonSerializable(typeof(ClassicList<ProjectApiKey>))]
[JsonSerializable(typeof(ClassicList<AdminApiKey>))]
[JsonSerializable(typeof(ClassicList<AuditLog>))]
[JsonSerializable(typeof(RbacList<Group>))]
[JsonSerializable(typeof(RbacList<GroupUser>))]
[JsonSerializable(typeof(RbacList<Role>))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(OrganizationUser))]
[JsonSerializable(typeof(Invite))]
[JsonSerializable(typeof(Project))]
[JsonSerializable(typeof(ProjectUser))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(ProjectApiKey))]
[JsonSerializable(typeof(Group))]
[JsonSerializable(typeof(GroupUser))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(RoleBody))]
[JsonSerializable(typeof(InviteRequest))]
[JsonSerializable(typeof(NameBody))]
[JsonSerializable(typeof(ProjectUserCreate))]
[JsonSerializable(typeof(GroupUserCreate))]
[JsonSerializable(typeof(RoleIdBody))]
internal sealed partial class OpenAIJson : JsonSerializerContext;
