using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Cursor;

/// <summary>The Cursor Admin API calls the adapter makes (cursor.com/docs/account/teams/admin-api).</summary>
internal sealed class CursorClient(HttpClient http, PlatformTarget target, PlatformTargetOptions options, ILogger logger, TimeProvider time)
    : PlatformHttpClient(http, target, options, logger, time)
{
    public Task<CursorTeamMembers> GetMembersAsync(CancellationToken cancellationToken) =>
        SendAsync(new PlatformRequest(HttpMethod.Get, "teams/members", "teams.members"), CursorJsonContext.Default.CursorTeamMembers, cancellationToken);

    /// <summary>
    /// Exactly one of userId or email goes out: the API rejects both and neither. A POST, but idempotent (a repeat
    /// answers "not a member"), so it keeps the default retries.
    /// </summary>
    public Task<CursorRemoveMemberResponse> RemoveMemberAsync(string? userId, string? email, CancellationToken cancellationToken)
    {
        var body = new CursorRemoveMemberRequest { UserId = userId, Email = userId is null ? email : null };
        return SendAsync(
            new PlatformRequest(HttpMethod.Post, "teams/remove-member", "teams.remove_member") { Content = JsonContent.Create(body, CursorJsonContext.Default.CursorRemoveMemberRequest) },
            CursorJsonContext.Default.CursorRemoveMemberResponse,
            cancellationToken);
    }

    /// <summary>Times go as epoch milliseconds, one of the formats the endpoint takes; the range must be at most 30 days.</summary>
    public Task<CursorAuditLogs> GetAuditLogsAsync(DateTimeOffset start, DateTimeOffset end, int page, int pageSize, CancellationToken cancellationToken) =>
        SendAsync(
            new PlatformRequest(
                HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"teams/audit-logs?startTime={start.ToUnixTimeMilliseconds()}&endTime={end.ToUnixTimeMilliseconds()}&page={page}&pageSize={pageSize}"),
                "teams.audit_logs"),
            CursorJsonContext.Default.CursorAuditLogs,
            cancellationToken);

    /// <summary>
    /// Always paginated: with page and pageSize the endpoint returns every member with a membership in the range, each
    /// day flagged isActive; without them it returns active users only, in one unbounded response.
    /// </summary>
    public Task<CursorDailyUsage> GetDailyUsageAsync(DateTimeOffset start, DateTimeOffset end, int page, int pageSize, CancellationToken cancellationToken)
    {
        var body = new CursorDailyUsageRequest { StartDate = start.ToUnixTimeMilliseconds(), EndDate = end.ToUnixTimeMilliseconds(), Page = page, PageSize = pageSize };

        // A read, though it is a POST: nothing changes on Cursor, so it may be retried like a GET.
        return SendAsync(
            new PlatformRequest(HttpMethod.Post, "teams/daily-usage-data", "teams.daily_usage") { Content = JsonContent.Create(body, CursorJsonContext.Default.CursorDailyUsageRequest) },
            CursorJsonContext.Default.CursorDailyUsage,
            cancellationToken);
    }

    protected override PlatformErrorBody ParseError(ReadOnlySpan<byte> body)
    {
        var error = JsonSerializer.Deserialize(body, CursorJsonContext.Default.CursorError);

        // The 429 body has both: "error" is the title ("Too Many Requests"), "message" the sentence.
        return error is null ? default : new PlatformErrorBody(error.Code ?? (error.Message is null ? null : error.Error), error.Message ?? error.Error);
    }

    // remove-member words its outcomes only in the message (the docs give no status for them): "User is not a member of
    // this team" means already removed; the "at least one paid member / one admin must remain" rules are refusals.
    protected override PlatformErrorKind? ClassifyError(HttpStatusCode status, PlatformErrorBody body) => body.Message switch
    {
        { } m when m.Contains("not a member", StringComparison.OrdinalIgnoreCase) => PlatformErrorKind.NotFound,
        { } m when m.Contains("must remain", StringComparison.OrdinalIgnoreCase) => PlatformErrorKind.NotAllowed,
        _ => null,
    };
}
