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

/// <summary>
/// Get Claude Code Usage Report (GET /v1/organizations/usage_report/claude_code): one UTC day per request, paged by the
/// opaque <c>page</c> cursor the previous answer gave in <c>next_page</c>. No first_id/last_id here.
/// </summary>
internal sealed class AnthropicClaudeCodeReport
{
    public IReadOnlyList<AnthropicClaudeCodeRow> Data { get; init; } = [];

    public bool HasMore { get; init; }

    public string? NextPage { get; init; }
}

/// <summary>One actor's Claude Code use on one day; only the fields that attribute it are declared.</summary>
internal sealed class AnthropicClaudeCodeRow
{
    public AnthropicUsageActor? Actor { get; init; }

    /// <summary>The UTC day at midnight, RFC 3339 ("2025-08-08T00:00:00Z").</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>"vscode", "iTerm.app", "tmux"…</summary>
    public string? TerminalType { get; init; }

    /// <summary>Remote (Claude Code on the web) and local use of one actor come as separate rows (SDK <c>is_remote</c>).</summary>
    public bool? IsRemote { get; init; }
}

/// <summary><c>{"type":"user_actor","email_address"}</c> or <c>{"type":"api_actor","api_key_name"}</c>.</summary>
internal sealed class AnthropicUsageActor
{
    public string? Type { get; init; }

    public string? EmailAddress { get; init; }

    public string? ApiKeyName { get; init; }
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
[JsonSerializable(typeof(AnthropicClaudeCodeReport))]
[JsonSerializable(typeof(AnthropicDeleted))]
[JsonSerializable(typeof(AnthropicErrorEnvelope))]
[JsonSerializable(typeof(AnthropicUpdateUserRequest))]
[JsonSerializable(typeof(AnthropicCreateInviteRequest))]
[JsonSerializable(typeof(AnthropicCreateWorkspaceRequest))]
[JsonSerializable(typeof(AnthropicAddMemberRequest))]
[JsonSerializable(typeof(AnthropicUpdateMemberRequest))]
[JsonSerializable(typeof(AnthropicUpdateApiKeyRequest))]
internal sealed partial class AnthropicJson : JsonSerializerContext;
