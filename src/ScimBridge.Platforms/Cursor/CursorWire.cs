using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Platforms.Cursor;

// Cursor Admin API wire shapes (cursor.com/docs/account/teams/admin-api). camelCase, except audit-log events, which
// are snake_case on the wire.

internal sealed class CursorTeamMembers
{
    public List<CursorTeamMember>? TeamMembers { get; set; }
}

internal sealed class CursorTeamMember
{
    // The docs show a numeric id (12345); the API now answers encoded ids ("user_…"); the oldest docs have none.
    [JsonConverter(typeof(CursorIdConverter))]
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Role { get; set; }

    public bool IsRemoved { get; set; }
}

internal sealed class CursorRemoveMemberRequest
{
    public string? UserId { get; set; }

    public string? Email { get; set; }
}

internal sealed class CursorRemoveMemberResponse
{
    public bool Success { get; set; }

    public string? UserId { get; set; }

    public bool HasBillingCycleUsage { get; set; }
}

internal sealed class CursorAuditLogs
{
    public List<CursorAuditEvent>? Events { get; set; }

    public CursorPagination? Pagination { get; set; }
}

internal sealed class CursorAuditEvent
{
    [JsonPropertyName("event_id")]
    public string? EventId { get; set; }

    public string? Timestamp { get; set; }

    [JsonPropertyName("ip_address")]
    public string? IpAddress { get; set; }

    [JsonPropertyName("user_email")]
    public string? UserEmail { get; set; }

    [JsonPropertyName("event_type")]
    public string? EventType { get; set; }

    [JsonPropertyName("event_data")]
    public JsonElement? EventData { get; set; }
}

internal sealed class CursorPagination
{
    public int Page { get; set; }

    public int PageSize { get; set; }

    public int? TotalPages { get; set; }

    public bool HasNextPage { get; set; }
}

internal sealed class CursorDailyUsageRequest
{
    public long StartDate { get; set; }

    public long EndDate { get; set; }

    public int Page { get; set; }

    public int PageSize { get; set; }
}

internal sealed class CursorDailyUsage
{
    public List<CursorDailyUsageRecord>? Data { get; set; }

    public CursorPagination? Pagination { get; set; }
}

internal sealed class CursorDailyUsageRecord
{
    [JsonConverter(typeof(CursorIdConverter))]
    public string? UserId { get; set; }

    public string? Day { get; set; }

    public long? Date { get; set; }

    public string? Email { get; set; }

    public bool? IsActive { get; set; }
}

/// <summary>Classic <c>{"error":"…"}</c>, newer <c>{"code":"error","message":"…"}</c>, and the 429 which has both.</summary>
internal sealed class CursorError
{
    public string? Error { get; set; }

    public string? Code { get; set; }

    public string? Message { get; set; }
}

/// <summary>Reads an id the API gives as a number or a string.</summary>
internal sealed class CursorIdConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"An id must be a string or a number, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CursorTeamMembers))]
[JsonSerializable(typeof(CursorRemoveMemberRequest))]
[JsonSerializable(typeof(CursorRemoveMemberResponse))]
[JsonSerializable(typeof(CursorAuditLogs))]
[JsonSerializable(typeof(CursorDailyUsageRequest))]
[JsonSerializable(typeof(CursorDailyUsage))]
[JsonSerializable(typeof(CursorError))]
internal sealed partial class CursorJsonContext : JsonSerializerContext;
