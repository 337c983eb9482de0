using System.Globalization;
using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Platforms.Cursor;

/// <summary>
/// A Cursor team through the Admin API. What the API has is what this declares: the member list, removing a member,
/// audit logs and daily usage. It has no invite and no role change (C1 docs: Cursor "does not expose an API for
/// changing user roles"), so neither is declared here; <see cref="CursorScimAdapter"/> adds invites over SCIM.
/// </summary>
/// <remarks>
/// Removed members: /teams/members may list them with <c>isRemoved:true</c>, kept "for usage tracking and billing
/// purposes" (Cursor staff, forum.cursor.com/t/admin-api-get-members/151645). They are listed as
/// <see cref="AccountStatus.Removed"/> rather than skipped, so usage can still be attributed to them, and are not
/// members of the team container.
/// </remarks>
internal class CursorAdapter : IPlatformAdapter, IContainerReader, IActivityReader, IAccountRemover, IMembershipRevoker
{
    /// <summary>The one container: the team the admin key belongs to (keys are team-scoped).</summary>
    public const string TeamContainerId = "team";

    /// <summary>One user's active day from /teams/daily-usage-data: "last active" per member.</summary>
    public const string UsageActivityType = "usage.daily";

    // Both activity endpoints refuse ranges over 30 days ("Date range cannot exceed 30 days. Make multiple requests").
    internal static readonly TimeSpan MaxRange = TimeSpan.FromDays(30);

    // /teams/audit-logs takes pageSize 1–500.
    private const int MaxAuditPageSize = 500;

    private readonly CursorClient _client;
    private readonly string _teamName;
    private readonly int _auditPageSize;
    private readonly int _usagePageSize;
    private readonly TimeProvider _time;

    public CursorAdapter(CursorClient client, PlatformTarget target, CursorOptions options, TimeProvider time)
    {
        _client = client;
        Target = target;
        _teamName = options.TeamName;
        _auditPageSize = Math.Clamp(options.PageSize, 1, MaxAuditPageSize);
        _usagePageSize = options.PageSize;
        _time = time;
    }

    public PlatformTarget Target { get; }

    public async Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var members = await _client.GetMembersAsync(cancellationToken).ConfigureAwait(false);
            return new AdapterHealth(true, $"Cursor Admin API answered; {(members.TeamMembers ?? []).Count(m => !m.IsRemoved)} team members.");
        }
        catch (PlatformException ex)
        {
            return new AdapterHealth(false, $"{ex.Kind}: {ex.Message}");
        }
    }

    /// <summary>/teams/members is not paged: one page holds the whole team.</summary>
    public async Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var members = await _client.GetMembersAsync(cancellationToken).ConfigureAwait(false);
        return new Page<PlatformAccount>([.. (members.TeamMembers ?? []).Select(ToAccount)], null);
    }

    public Task<Page<PlatformContainer>> ListContainersAsync(string? pageToken, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<PlatformContainer>([new PlatformContainer(TeamContainerId, _teamName, ContainerKind.Team, false, null)], null));

    public async Task<Page<ContainerMember>> ListMembersAsync(string containerId, string? pageToken, CancellationToken cancellationToken)
    {
        RequireTeam(containerId);
        var members = await _client.GetMembersAsync(cancellationToken).ConfigureAwait(false);
        return new Page<ContainerMember>(
            [.. (members.TeamMembers ?? []).Where(m => !m.IsRemoved).Select(m => new ContainerMember(TeamContainerId, AccountId(m), m.Email, m.Name, m.Role ?? "member"))],
            null);
    }

    /// <summary>
    /// An account id that contains '@' is removed by email, anything else by userId (the encoded "user_…" id
    /// /teams/members gives).
    /// </summary>
    public async Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var byEmail = accountId.Contains('@', StringComparison.Ordinal);
        try
        {
            var removed = await _client.RemoveMemberAsync(byEmail ? null : accountId, byEmail ? accountId : null, cancellationToken).ConfigureAwait(false);
            return removed.Success
                ? ChangeResult.Applied
                : throw new PlatformPermanentException(PlatformErrorKind.NotAllowed, "cursor answered success:false to remove-member.")
                {
                    Target = Target.Name, Operation = "teams.remove_member",
                };
        }
        catch (PlatformPermanentException ex) when (ex.Kind == PlatformErrorKind.NotFound)
        {
            // "User is not a member of this team": already gone.
            return ChangeResult.AlreadyInState;
        }
    }

    /// <summary>Leaving the team is leaving Cursor: the same remove-member call.</summary>
    public Task<ChangeResult> RevokeMembershipAsync(string containerId, string accountId, CancellationToken cancellationToken)
    {
        RequireTeam(containerId);
        return RemoveAccountAsync(accountId, cancellationToken);
    }

    /// <summary>
    /// Audit events, then each member's active days, window by window: the range is cut into windows of at most 30
    /// days that end on a UTC midnight, so a usage day never falls into two windows. The token carries the source,
    /// the window, the end of the whole range and the page number (both endpoints page by number).
    /// </summary>
    public async Task<Page<PlatformActivity>> ListActivityAsync(ActivityQuery query, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var position = pageToken is null
            ? new ActivityPosition(ActivitySource.Audit, query.Since.ToUnixTimeMilliseconds(), (query.Until ?? _time.GetUtcNow()).ToUnixTimeMilliseconds(), 1)
            : ActivityPosition.Parse(pageToken);
        if (position.WindowStart > position.Until)
        {
            return new Page<PlatformActivity>([], null);
        }

        var start = DateTimeOffset.FromUnixTimeMilliseconds(position.WindowStart);
        var end = WindowEnd(start, DateTimeOffset.FromUnixTimeMilliseconds(position.Until));
        if (position.Source == ActivitySource.Audit)
        {
            var logs = await _client.GetAuditLogsAsync(start, end, position.Page, _auditPageSize, cancellationToken).ConfigureAwait(false);
            var next = logs.Pagination?.HasNextPage == true ? position with { Page = position.Page + 1 } : position with { Source = ActivitySource.Usage, Page = 1 };
            return new Page<PlatformActivity>([.. (logs.Events ?? []).Select(ToActivity)], next.ToToken());
        }

        var usage = await _client.GetDailyUsageAsync(start, end, position.Page, _usagePageSize, cancellationToken).ConfigureAwait(false);
        var after = usage.Pagination?.HasNextPage == true ? position with { Page = position.Page + 1 }
            : end.ToUnixTimeMilliseconds() >= position.Until ? null
            : new ActivityPosition(ActivitySource.Audit, end.ToUnixTimeMilliseconds() + 1, position.Until, 1);
        return new Page<PlatformActivity>([.. (usage.Data ?? []).Where(d => d.IsActive == true).Select(ToActivity)], after?.ToToken());
    }

    internal static DateTimeOffset WindowEnd(DateTimeOffset start, DateTimeOffset until)
    {
        var midnight = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var limit = midnight + MaxRange - TimeSpan.FromMilliseconds(1);
        return until < limit ? until : limit;
    }

    private static void RequireTeam(string containerId)
    {
        if (containerId != TeamContainerId)
        {
            throw new PlatformPermanentException(PlatformErrorKind.NotFound, $"A Cursor target has one container, '{TeamContainerId}', not '{containerId}'.");
        }
    }

    // The oldest documented shape has no id at all; the email is then the only handle, and remove-member takes it.
    private static string AccountId(CursorTeamMember member) =>
        member.Id ?? member.Email ?? throw new PlatformPermanentException(PlatformErrorKind.Protocol, "cursor listed a team member with neither id nor email.");

    private static PlatformAccount ToAccount(CursorTeamMember member) =>
        new(AccountId(member), member.Email, member.Name, member.Role, member.IsRemoved ? AccountStatus.Removed : AccountStatus.Active, null);

    private static PlatformActivity ToActivity(CursorAuditEvent audit)
    {
        var data = audit.EventData is { ValueKind: JsonValueKind.Object } d ? d : default;
        return new PlatformActivity(
            audit.EventId ?? throw new PlatformPermanentException(PlatformErrorKind.Protocol, "cursor sent an audit event without event_id."),
            audit.EventType ?? "unknown",
            Timestamp(audit.Timestamp))
        {
            ActorEmail = audit.UserEmail,

            // Older docs put the address only inside event_data (login events).
            IpAddress = audit.IpAddress ?? Text(data, "ip_address"),
            UserAgent = Text(data, "user_agent"),
        };
    }

    private static PlatformActivity ToActivity(CursorDailyUsageRecord usage)
    {
        var day = usage.Date is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.TryParseExact(usage.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
            : throw new PlatformPermanentException(PlatformErrorKind.Protocol, "cursor sent a daily usage record without day or date.");
        var who = usage.UserId ?? usage.Email;
        return new PlatformActivity($"{UsageActivityType}:{who}:{day.UtcDateTime:yyyy-MM-dd}", UsageActivityType, day)
        {
            ActorAccountId = usage.UserId,
            ActorEmail = usage.Email,
        };
    }

    // ISO 8601 in the docs ("2024-01-15T12:30:00.000Z"); epoch milliseconds tolerated, as other Cursor endpoints use them.
    private static DateTimeOffset Timestamp(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new PlatformPermanentException(PlatformErrorKind.Protocol, $"cursor sent an unreadable audit timestamp '{text}'.");

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private enum ActivitySource
    {
        Audit,
        Usage,
    }

    /// <summary>Where an activity listing stands; opaque to callers (base64url of "a|u.windowStart.until.page").</summary>
    private sealed record ActivityPosition(ActivitySource Source, long WindowStart, long Until, int Page)
    {
        public string ToToken() => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Create(
                CultureInfo.InvariantCulture,
                $"{(Source == ActivitySource.Audit ? 'a' : 'u')}.{WindowStart}.{Until}.{Page}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static ActivityPosition Parse(string token)
        {
            try
            {
                var padded = token.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
                if (parts.Length == 4 && parts[0] is "a" or "u"
                    && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start)
                    && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var until)
                    && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1)
                {
                    return new ActivityPosition(parts[0] == "a" ? ActivitySource.Audit : ActivitySource.Usage, start, until, page);
                }
            }
            catch (FormatException)
            {
                // Falls through to the one error below.
            }

            throw new ArgumentException("Not an activity page token of a Cursor target.", nameof(token));
        }
    }
}

/// <summary>
/// A Cursor team whose target also has a <c>Scim</c> section: accounts are created over Cursor's SCIM endpoint, the
/// only way onto a team short of the dashboard (users "are automatically added to Cursor when assigned to the SCIM
/// application", cursor.com/docs/account/teams/scim). Chosen at registration, so capabilities follow configuration.
/// </summary>
internal sealed class CursorScimAdapter(CursorClient client, PlatformTarget target, CursorOptions options, TimeProvider time, ScimAdapter scim)
    : CursorAdapter(client, target, options, time), IAccountInviter
{
    public Task<InviteResult> InviteAsync(AccountInvitation invitation, CancellationToken cancellationToken) => scim.InviteAsync(invitation, cancellationToken);

    /// <summary>Deprovisions the SCIM user the invite created (SCIM has no pending invitations).</summary>
    public Task<ChangeResult> CancelInvitationAsync(string invitationId, CancellationToken cancellationToken) => scim.CancelInvitationAsync(invitationId, cancellationToken);
}
