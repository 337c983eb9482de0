using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ScimBridge.Simulators.Cursor;

// The Admin API's objects as cursor.com/docs/account/teams/admin-api shows them. The seed file is a document of the
// three lists in that wire format: {"teamMembers":[…], "auditEvents":[…], "dailyUsage":[…]}.

/// <summary>A team member; <c>role</c> is owner, member or free-owner (an admin without a paid seat).</summary>
public sealed record CursorSimMember(string Id, string Name, string Email, string Role, bool IsRemoved = false)
{
    /// <summary>An admin per the remove-member rules: "owner or free-owner".</summary>
    [JsonIgnore]
    public bool IsAdmin => Role is "owner" or "free-owner";

    /// <summary>Holds a paid seat: everyone but a free-owner.</summary>
    [JsonIgnore]
    public bool IsPaid => Role != "free-owner";
}

/// <summary>An audit event; <c>timestamp</c> is ISO 8601 with milliseconds, as in the docs' example.</summary>
public sealed record CursorSimAuditEvent(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("ip_address")] string? IpAddress,
    [property: JsonPropertyName("user_email")] string? UserEmail,
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("event_data")] JsonElement? EventData = null);

/// <summary>
/// One user's usage on one day, as seeded: <c>userId</c> (or <c>email</c> to look the member up), <c>day</c>
/// ("2024-03-18") and any of the documented metrics (totalLinesAdded, chatRequests, mostUsedModel…), which are echoed.
/// A seeded day is an active day; days without a record answer <c>isActive:false</c> and zero metrics.
/// </summary>
public sealed record CursorSimUsageDay(string UserId, DateOnly Day, JsonObject Metrics);

internal sealed class CursorSimSeed
{
    public List<CursorSimMember>? TeamMembers { get; set; }

    public List<CursorSimAuditEvent>? AuditEvents { get; set; }

    public List<JsonObject>? DailyUsage { get; set; }
}

internal sealed record CursorSimTeamMembers(IReadOnlyList<CursorSimMember> TeamMembers);

internal sealed record CursorSimRemoveMember(string? UserId, string? Email);

internal sealed record CursorSimRemoved(bool Success, string UserId, bool HasBillingCycleUsage);

/// <summary>The audit-log page: timestamps go out as strings ("2024-01-15T12:30:00.000Z").</summary>
internal sealed record CursorSimAuditPage(IReadOnlyList<CursorSimAuditEventOut> Events, CursorSimAuditPagination Pagination, CursorSimAuditParams Params);

internal sealed record CursorSimAuditEventOut(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("ip_address")] string? IpAddress,
    [property: JsonPropertyName("user_email")] string? UserEmail,
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("event_data")] JsonElement? EventData);

internal sealed record CursorSimAuditPagination(int Page, int PageSize, int TotalCount, int TotalPages, bool HasNextPage, bool HasPreviousPage);

internal sealed record CursorSimAuditParams(long TeamId, long StartDate, long EndDate);

internal sealed record CursorSimUsageRequest(long? StartDate, long? EndDate, int? Page, int? PageSize);

internal sealed record CursorSimPeriod(long StartDate, long EndDate);

internal sealed record CursorSimUsagePagination(int Page, int PageSize, int TotalUsers, int TotalPages, bool HasNextPage, bool HasPreviousPage);

internal sealed record CursorSimUsagePage(
    JsonArray Data,
    CursorSimPeriod Period,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CursorSimUsagePagination? Pagination);

internal sealed record CursorSimError(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

internal sealed record CursorSimSnapshot(IReadOnlyList<CursorSimMember> TeamMembers, IReadOnlyList<CursorSimAuditEvent> AuditEvents, IReadOnlyList<CursorSimUsageDay> DailyUsage);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CursorSimSeed))]
[JsonSerializable(typeof(CursorSimTeamMembers))]
[JsonSerializable(typeof(CursorSimRemoveMember))]
[JsonSerializable(typeof(CursorSimRemoved))]
[JsonSerializable(typeof(CursorSimAuditPage))]
[JsonSerializable(typeof(CursorSimUsageRequest))]
[JsonSerializable(typeof(CursorSimUsagePage))]
[JsonSerializable(typeof(CursorSimError))]
[JsonSerializable(typeof(CursorSimSnapshot))]
internal sealed partial class CursorSimJson : JsonSerializerContext;
