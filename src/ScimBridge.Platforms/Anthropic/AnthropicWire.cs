using System.Text.Json.Serialization;

namespace ScimBridge.Platforms.Anthropic;

// The Admin API's wire objects, as the docs (platform.claude.com/docs/en/api/admin) and anthropic-sdk-python
// (src/anthropic/types/organization/) define them. Only the fields ScimBridge reads are declared; the rest are skipped.

/// <summary>Every list answer: <c>{data, has_more, first_id, last_id}</c>, with no <c>object</c> field.</summary>
internal sealed class AnthropicList<T>
{
    public IReadOnlyList<T> Data { get; init; } = [];

    public bool HasMore { get; init; }

    public string? FirstId { get; init; }

    public string? LastId { get; init; }
}

internal sealed class AnthropicOrganization
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }
}

internal sealed class AnthropicUser
{
    public string Id { get; init; } = "";

    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Role { get; init; }

    public DateTimeOffset? AddedAt { get; init; }
}

internal sealed class AnthropicInvite
{
    public string Id { get; init; } = "";

    public string Email { get; init; } = "";

    public string? Role { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? InvitedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

internal sealed class AnthropicWorkspace
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ArchivedAt { get; init; }

    public string? ExternalKeyId { get; init; }
}

internal sealed class AnthropicWorkspaceMember
{
    public string UserId { get; init; } = "";

    public string WorkspaceId { get; init; } = "";

    public string WorkspaceRole { get; init; } = "";
}

internal sealed class AnthropicActor
{
    public string Id { get; init; } = "";

    /// <summary><c>user</c> or <c>service_account</c>.</summary>
    public string? Type { get; init; }
}

internal sealed class AnthropicApiKey
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? PartialKeyHint { get; init; }

    /// <summary>Null for legacy, federated and system-created keys (SDK <c>APIKey.created_by</c>).</summary>
    public AnthropicActor? CreatedBy { get; init; }

    /// <summary>Null when the key belongs to the default workspace.</summary>
    public string? WorkspaceId { get; init; }
}

/// <summary>The deletion receipts: <c>user_deleted</c>, <c>invite_deleted</c>, <c>workspace_member_deleted</c>.</summary>
internal sealed class AnthropicDeleted
{
    public string? Id { get; init; }

    public string? Type { get; init; }
}

/// <summary><c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
internal sealed class AnthropicErrorEnvelope
{
    public AnthropicErrorDetail? Error { get; init; }

    public string? RequestId { get; init; }
}

internal sealed class AnthropicErrorDetail
{
    public string? Type { get; init; }

    public string? Message { get; init; }
}

internal sealed record AnthropicUpdateUserRequest(string Role);

internal sealed record AnthropicCreateInviteRequest(string Email, string Role);

internal sealed record AnthropicCreateWorkspaceRequest(string Name);

internal sealed record AnthropicAddMemberRequest(string UserId, string WorkspaceRole);

internal sealed record AnthropicUpdateMemberRequest(string WorkspaceRole);

internal sealed record AnthropicUpdateApiKeyRequest(string? Name = null, string? Status = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicOrganization))]
[JsonSerializable(typeof(AnthropicUser))]
[JsonSerializable(typeof(AnthropicList<AnthropicUser>))]
[JsonSerializable(typeof(AnthropicInvite))]
[JsonSerializable(typeof(AnthropicList<AnthropicInvite>))]
[JsonSerializable(typeof(AnthropicWorkspace))]
[JsonSerializable(typeof(AnthropicList<AnthropicWorkspace>))]
[JsonSerializable(typeof(AnthropicWorkspaceMember))]
[JsonSerializable(typeof(AnthropicList<AnthropicWorkspaceMember>))]
[JsonSerializable(typeof(AnthropicApiKey))]
[JsonSerializable(typeof(AnthropicList<AnthropicApiKey>))]
[JsonSerializable(typeof(AnthropicDeleted))]
[JsonSerializable(typeof(AnthropicErrorEnvelope))]
[JsonSerializable(typeof(AnthropicUpdateUserRequest))]
[JsonSerializable(typeof(AnthropicCreateInviteRequest))]
[JsonSerializable(typeof(AnthropicCreateWorkspaceRequest))]
[JsonSerializable(typeof(AnthropicAddMemberRequest))]
[JsonSerializable(typeof(AnthropicUpdateMemberRequest))]
[JsonSerializable(typeof(AnthropicUpdateApiKeyRequest))]
internal sealed partial class AnthropicJson : JsonSerializerContext;
