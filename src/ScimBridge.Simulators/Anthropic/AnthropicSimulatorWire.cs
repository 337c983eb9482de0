using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Simulators.Anthropic;

// The Admin API's objects as the docs and anthropic-sdk-python (src/anthropic/types/organization/) show them, the
// superset of old and new fields. They are both the simulator's state and its seed format.

public sealed record AnthropicSimOrganization(string Id, string Name)
{
    public string Type => "organization";
}

public sealed record AnthropicSimUser(string Id, string Email, string Name, string Role, DateTimeOffset AddedAt)
{
    public string Type => "user";
}

/// <summary><c>status</c> is stored as pending, accepted or deleted; "expired" is worked out from <c>expires_at</c> on read.</summary>
public sealed record AnthropicSimInvite(
    string Id,
    string Email,
    string Role,
    string Status,
    DateTimeOffset InvitedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt = null)
{
    public IReadOnlyList<string> RbacGroupIds { get; init; } = [];

    public string Type => "invite";
}

/// <summary><c>allowed_inference_geos</c> is a list of geos or the string "unrestricted".</summary>
public sealed record AnthropicSimDataResidency(string WorkspaceGeo, JsonElement AllowedInferenceGeos, string DefaultInferenceGeo)
{
    /// <summary>Create Workspace's documented default when <c>data_residency</c> is omitted.</summary>
    public static AnthropicSimDataResidency Default { get; } = new("us", JsonSerializer.SerializeToElement("unrestricted", AnthropicSimJson.Default.String), "global");
}

public sealed record AnthropicSimWorkspace(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ArchivedAt = null)
{
    public string DisplayColor { get; init; } = "#6C5BB9";

    public string? CompartmentId { get; init; }

    public AnthropicSimDataResidency? DataResidency { get; init; }

    public string? ExternalKeyId { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string Type => "workspace";
}

public sealed record AnthropicSimWorkspaceMember(string UserId, string WorkspaceId, string WorkspaceRole)
{
    public string Type => "workspace_member";
}

public sealed record AnthropicSimActor(string Id, string Type);

/// <summary><c>{"type":"workspace","workspace_id"}</c> or <c>{"type":"organization"}</c>.</summary>
public sealed record AnthropicSimScope(string Type, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkspaceId = null);

/// <summary><c>{"type":"user_actor","user_id"}</c> or <c>{"type":"service_account_actor","service_account_id"}</c>.</summary>
public sealed record AnthropicSimPrincipal(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ServiceAccountId = null);

/// <summary><c>status</c> is stored as active, inactive or archived; "expired" is worked out from <c>expires_at</c> on read.</summary>
public sealed record AnthropicSimApiKey(
    string Id,
    string Name,
    string Status,
    DateTimeOffset CreatedAt,
    string PartialKeyHint,
    AnthropicSimActor? CreatedBy,
    string? WorkspaceId)
{
    public DateTimeOffset? ExpiresAt { get; init; }

    public AnthropicSimScope? Scope { get; init; }

    public AnthropicSimPrincipal? Principal { get; init; }

    public string Type => "api_key";
}

/// <summary><c>{"type":"user_actor","email_address"}</c> or <c>{"type":"api_actor","api_key_name"}</c> (Claude Code usage report).</summary>
public sealed record AnthropicSimUsageActor(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EmailAddress = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKeyName = null)
{
    public static AnthropicSimUsageActor User(string email) => new("user_actor", EmailAddress: email);

    public static AnthropicSimUsageActor ApiKey(string name) => new("api_actor", ApiKeyName: name);
}

public sealed record AnthropicSimLinesOfCode(int Added, int Removed);

public sealed record AnthropicSimCoreMetrics(int NumSessions, AnthropicSimLinesOfCode LinesOfCode, int CommitsByClaudeCode, int PullRequestsByClaudeCode);

/// <summary>
/// One row of the Claude Code usage report (GET /v1/organizations/usage_report/claude_code): one actor's use on one UTC
/// day, <c>date</c> written as that day's midnight ("2025-08-08T00:00:00Z"). <c>organization_id</c>, when the seed
/// leaves it out, is the organisation's on read. <c>model_breakdown</c> and <c>tool_actions</c> are kept as given.
/// </summary>
public sealed record AnthropicSimClaudeCodeUsage(
    AnthropicSimUsageActor Actor,
    [property: JsonConverter(typeof(AnthropicSimDayConverter))] DateOnly Date,
    string TerminalType = "vscode")
{
    public string? OrganizationId { get; set; }

    /// <summary><c>api</c> (API customers) or <c>subscription</c> (Pro/Team).</summary>
    public string CustomerType { get; set; } = "api";

    /// <summary>Null for API customers; a tier such as <c>enterprise</c> or <c>team</c> for subscriptions.</summary>
    public string? SubscriptionType { get; set; }

    public bool IsRemote { get; set; }

    public AnthropicSimCoreMetrics CoreMetrics { get; set; } = new(1, new AnthropicSimLinesOfCode(0, 0), 0, 0);

    public IReadOnlyList<JsonElement> ModelBreakdown { get; set; } = [];

    public IReadOnlyDictionary<string, JsonElement> ToolActions { get; set; } = new Dictionary<string, JsonElement>();
}

/// <summary>The seed file and /_sim/state: <c>{organization, users, invites, workspaces, workspace_members, api_keys, claude_code_usage}</c>.</summary>
public sealed class AnthropicSimState
{
    public AnthropicSimOrganization? Organization { get; init; }

    public IReadOnlyList<AnthropicSimUser> Users { get; init; } = [];

    public IReadOnlyList<AnthropicSimInvite> Invites { get; init; } = [];

    public IReadOnlyList<AnthropicSimWorkspace> Workspaces { get; init; } = [];

    public IReadOnlyList<AnthropicSimWorkspaceMember> WorkspaceMembers { get; init; } = [];

    public IReadOnlyList<AnthropicSimApiKey> ApiKeys { get; init; } = [];

    /// <summary>
    /// Rows the Claude Code usage report serves, in the report's own wire format. A setter, not init: the source
    /// generator sets every init property, so a seed without the field would leave it null.
    /// </summary>
    public IReadOnlyList<AnthropicSimClaudeCodeUsage> ClaudeCodeUsage { get; set; } = [];
}

internal sealed record AnthropicSimList<T>(IReadOnlyList<T> Data, bool HasMore, string? FirstId, string? LastId);

/// <summary><c>{data, has_more, next_page}</c>: the usage reports page by an opaque cursor, not by IDs.</summary>
internal sealed record AnthropicSimClaudeCodeReport(IReadOnlyList<AnthropicSimClaudeCodeUsage> Data, bool HasMore, string? NextPage);

internal sealed record AnthropicSimDeleted(string Id, string Type);

internal sealed record AnthropicSimMemberDeleted(string UserId, string WorkspaceId, string Type = "workspace_member_deleted");

internal sealed record AnthropicSimErrorDetail(string Type, string Message);

internal sealed record AnthropicSimError(string Type, AnthropicSimErrorDetail Error, string RequestId);

internal sealed record AnthropicSimUpdateUser(string? Role);

internal sealed record AnthropicSimCreateInvite(string? Email, string? Role, IReadOnlyList<string>? RbacGroupIds);

internal sealed record AnthropicSimCreateWorkspace(string? Name, string? DisplayColor, string? ExternalKeyId, IReadOnlyDictionary<string, string>? Tags);

internal sealed record AnthropicSimUpdateWorkspace(string? Name, string? DisplayColor);

internal sealed record AnthropicSimAddMember(string? UserId, string? WorkspaceRole);

internal sealed record AnthropicSimUpdateMember(string? WorkspaceRole);

internal sealed record AnthropicSimUpdateApiKey(string? Name, string? Status);

/// <summary>RFC 3339 in UTC with a "Z" and microseconds, as the API writes it ("2024-10-30T23:58:27.427722Z").</summary>
internal sealed class AnthropicSimTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}

/// <summary>A report day: written as its UTC midnight in RFC 3339; read from that or from a bare YYYY-MM-DD.</summary>
internal sealed class AnthropicSimDayConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()!;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : DateOnly.FromDateTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).UtcDateTime);
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(AnthropicSimTimestampConverter)])]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(AnthropicSimState))]
[JsonSerializable(typeof(AnthropicSimOrganization))]
[JsonSerializable(typeof(AnthropicSimUser))]
[JsonSerializable(typeof(AnthropicSimList<AnthropicSimUser>))]
[JsonSerializable(typeof(AnthropicSimInvite))]
[JsonSerializable(typeof(AnthropicSimList<AnthropicSimInvite>))]
[JsonSerializable(typeof(AnthropicSimWorkspace))]
[JsonSerializable(typeof(AnthropicSimList<AnthropicSimWorkspace>))]
[JsonSerializable(typeof(AnthropicSimWorkspaceMember))]
[JsonSerializable(typeof(AnthropicSimList<AnthropicSimWorkspaceMember>))]
[JsonSerializable(typeof(AnthropicSimApiKey))]
[JsonSerializable(typeof(AnthropicSimList<AnthropicSimApiKey>))]
[JsonSerializable(typeof(AnthropicSimClaudeCodeReport))]
[JsonSerializable(typeof(AnthropicSimDeleted))]
[JsonSerializable(typeof(AnthropicSimMemberDeleted))]
[JsonSerializable(typeof(AnthropicSimError))]
[JsonSerializable(typeof(AnthropicSimUpdateUser))]
[JsonSerializable(typeof(AnthropicSimCreateInvite))]
[JsonSerializable(typeof(AnthropicSimCreateWorkspace))]
[JsonSerializable(typeof(AnthropicSimUpdateWorkspace))]
[JsonSerializable(typeof(AnthropicSimAddMember))]
[JsonSerializable(typeof(AnthropicSimUpdateMember))]
[JsonSerializable(typeof(AnthropicSimUpdateApiKey))]
internal sealed partial class AnthropicSimJson : JsonSerializerContext;
