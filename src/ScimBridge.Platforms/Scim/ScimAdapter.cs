using System.Globalization;
using System.Text.Json.Nodes;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Scim;

/// <summary>
/// ScimBridge as a SCIM client of a downstream app: its users are the accounts, its groups the groups. Every change is
/// idempotent by reading first (SCIM has no "already a member" answer: an add of a present member is a silent 204, E21),
/// and a 404 on any removal is the asked-for state.
/// </summary>
internal sealed class ScimAdapter : IPlatformAdapter, IGroupReader, IAccountInviter, IAccountRemover, IGroupManager
{
    private readonly ScimClient _client;
    private readonly ScimQuirks _quirks;
    private readonly int _count;

    public ScimAdapter(ScimClient client, PlatformTarget target, ScimTargetOptions options)
    {
        _client = client;
        Target = target;
        _quirks = options.Quirks();
        _count = Math.Min(options.PageSize, _quirks.MaxPageSize ?? options.PageSize);
    }

    public PlatformTarget Target { get; }

    public async Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The same probe Okta's "Test connector" sends (O1): one user, no filter.
            var page = await _client.ListUsersAsync(1, 1, null, cancellationToken).ConfigureAwait(false);
            return new AdapterHealth(true, $"SCIM /Users answered; {page.TotalResults} users.");
        }
        catch (PlatformException ex)
        {
            return new AdapterHealth(false, $"{ex.Kind}: {ex.Message}");
        }
    }

    public async Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var start = StartIndex(pageToken);
        var page = await _client.ListUsersAsync(start, _count, null, cancellationToken).ConfigureAwait(false);
        var users = page.Resources ?? [];
        return new Page<PlatformAccount>([.. users.Select(ToAccount)], NextToken(start, users.Count, page.TotalResults));
    }

    public async Task<Page<PlatformGroup>> ListGroupsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var start = StartIndex(pageToken);
        var page = await _client.ListGroupsAsync(start, _count, null, cancellationToken).ConfigureAwait(false);
        var groups = page.Resources ?? [];
        return new Page<PlatformGroup>([.. groups.Select(ToGroup)], NextToken(start, groups.Count, page.TotalResults));
    }

    public async Task<Page<GroupMember>> ListGroupMembersAsync(string groupId, string? pageToken, CancellationToken cancellationToken)
    {
        // SCIM does not page members (RFC 7644 has no sub-attribute paging): the whole list is one page.
        var group = await _client.GetGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound($"group {groupId}");
        return new Page<GroupMember>([.. (group.Members ?? []).Where(m => m.Value is not null).Select(m => new GroupMember(groupId, m.Value!))], null);
    }

    public async Task<InviteResult> InviteAsync(AccountInvitation invitation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var existing = await FindUserAsync(invitation.Email, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Active != false)
            {
                return new InviteResult(InviteOutcome.AlreadyMember, existing.Id!);
            }

            // Deprovisioned earlier by deactivation: bring the same account back rather than create a duplicate
            // that the target would refuse on userName uniqueness (better-auth#11111, O21). A 404 here means it was
            // deleted since the lookup, and it is created afresh below.
            if (await _client.PatchUserAsync(existing.Id!, Patch(Active(true)), cancellationToken).ConfigureAwait(false))
            {
                return new InviteResult(InviteOutcome.Created, existing.Id!);
            }
        }

        try
        {
            var created = await _client.CreateUserAsync(NewUser(invitation), cancellationToken).ConfigureAwait(false);
            return new InviteResult(InviteOutcome.Created, created.Id ?? throw Protocol("the created user has no id"));
        }
        catch (PlatformPermanentException ex) when (ex.Kind == PlatformErrorKind.Conflict)
        {
            // Created by someone else since the lookup (or the target's filter missed it): it exists, which is the goal.
            if (await FindUserAsync(invitation.Email, cancellationToken).ConfigureAwait(false) is { Id: { } id })
            {
                return new InviteResult(InviteOutcome.AlreadyMember, id);
            }

            throw;
        }
    }

    /// <summary>SCIM has no invitations: the "invitation" is the account the invite created, so cancelling deprovisions it.</summary>
    public Task<ChangeResult> CancelInvitationAsync(string invitationId, CancellationToken cancellationToken) =>
        RemoveAccountAsync(invitationId, cancellationToken);

    public async Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        if (_quirks.DeprovisionMode == ScimDeprovisionMode.Delete)
        {
            return Changed(await _client.DeleteUserAsync(accountId, cancellationToken).ConfigureAwait(false));
        }

        var user = await _client.GetUserAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (user is null || user.Active == false)
        {
            return ChangeResult.AlreadyInState;
        }

        return Changed(await _client.PatchUserAsync(accountId, Patch(Active(false)), cancellationToken).ConfigureAwait(false));
    }

    public async Task<PlatformGroup> CreateGroupAsync(string name, CancellationToken cancellationToken)
    {
        // displayName is unique on SCIM targets (E19), so an existing group of that name is the one asked for.
        if (await FindGroupAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return ToGroup(existing);
        }

        try
        {
            var group = new ScimGroup { Schemas = [ScimSchemas.Group], DisplayName = name, Members = [] };
            return ToGroup(await _client.CreateGroupAsync(group, cancellationToken).ConfigureAwait(false));
        }
        catch (PlatformPermanentException ex) when (ex.Kind == PlatformErrorKind.Conflict)
        {
            if (await FindGroupAsync(name, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return ToGroup(raced);
            }

            throw;
        }
    }

    public async Task<ChangeResult> DeleteGroupAsync(string groupId, CancellationToken cancellationToken) =>
        Changed(await _client.DeleteGroupAsync(groupId, cancellationToken).ConfigureAwait(false));

    public async Task<ChangeResult> AddGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken)
    {
        var group = await _client.GetGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false) ?? throw NotFound($"group {groupId}");
        if (IsMember(group, accountId))
        {
            return ChangeResult.AlreadyInState;
        }

        var add = new ScimPatchOperation { Op = "add", Path = "members", Value = new JsonArray(new JsonObject { ["value"] = accountId }) };
        return await _client.PatchGroupAsync(groupId, Patch(add), cancellationToken).ConfigureAwait(false)
            ? ChangeResult.Applied
            : throw NotFound($"group {groupId}");
    }

    public async Task<ChangeResult> RemoveGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken)
    {
        var group = await _client.GetGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (group is null || !IsMember(group, accountId))
        {
            return ChangeResult.AlreadyInState;
        }

        var remove = _quirks.MemberRemoval == ScimMemberRemoval.ValueArray
            ? new ScimPatchOperation { Op = "remove", Path = "members", Value = new JsonArray(new JsonObject { ["value"] = accountId }) }
            : new ScimPatchOperation { Op = "remove", Path = "members[value eq \"" + accountId.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]" };
        return Changed(await _client.PatchGroupAsync(groupId, Patch(remove), cancellationToken).ConfigureAwait(false));
    }

    private Task<ScimUser?> FindUserAsync(string userName, CancellationToken cancellationToken)
    {
        var filter = _quirks.SupportsFilter ? ScimClient.EqualsFilter("userName", userName) : null;
        return FindAsync(
            start => _client.ListUsersAsync(start, _count, filter, cancellationToken),
            u => u.Id is not null && string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));
    }

    private Task<ScimGroup?> FindGroupAsync(string displayName, CancellationToken cancellationToken)
    {
        var filter = _quirks.SupportsFilter ? ScimClient.EqualsFilter("displayName", displayName) : null;
        return FindAsync(
            start => _client.ListGroupsAsync(start, _count, filter, cancellationToken),
            g => g.Id is not null && string.Equals(g.DisplayName, displayName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// With a filter this is one request. Every result is still compared, and paging goes on past non-matches: a
    /// target that ignores the filter returns everything (keycloak-scim-server#46) and is then scanned like a target
    /// without filtering.
    /// </summary>
    private static async Task<T?> FindAsync<T>(Func<int, Task<ScimListResponse<T>>> list, Func<T, bool> matches)
        where T : class
    {
        for (int start = 1, total = int.MaxValue; start <= total;)
        {
            var page = await list(start).ConfigureAwait(false);
            var items = page.Resources ?? [];
            if (items.FirstOrDefault(matches) is { } found)
            {
                return found;
            }

            if (items.Count == 0)
            {
                return null;
            }

            (start, total) = (start + items.Count, page.TotalResults);
        }

        return null;
    }

    private ScimPatchRequest Patch(ScimPatchOperation operation) =>
        new() { Schemas = _quirks.PatchOpSchemas ? [ScimSchemas.PatchOp] : null, Operations = [operation] };

    private ScimPatchOperation Active(bool active) => _quirks.DeactivateWithoutPath
        ? new ScimPatchOperation { Op = "replace", Value = new JsonObject { ["active"] = active } }
        : new ScimPatchOperation { Op = "replace", Path = "active", Value = active };

    private static ScimUser NewUser(AccountInvitation invitation) => new()
    {
        Schemas = [ScimSchemas.User],
        UserName = invitation.Email,
        ExternalId = invitation.ExternalId,
        DisplayName = invitation.Name,
        Name = invitation.Name is null ? null : new ScimName { Formatted = invitation.Name },
        Emails = [new ScimMultiValue { Value = invitation.Email, Type = "work", Primary = true }],
        Active = true,
    };

    private static bool IsMember(ScimGroup group, string accountId) =>
        (group.Members ?? []).Any(m => string.Equals(m.Value, accountId, StringComparison.Ordinal));

    private static PlatformAccount ToAccount(ScimUser user)
    {
        var email = (user.Emails ?? []).FirstOrDefault(e => e.Primary == true)?.Value
            ?? (user.Emails ?? []).FirstOrDefault()?.Value
            ?? (user.UserName?.Contains('@', StringComparison.Ordinal) == true ? user.UserName : null);
        var name = user.DisplayName ?? user.Name?.Formatted
            ?? (string.Join(' ', new[] { user.Name?.GivenName, user.Name?.FamilyName }.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } joined ? joined : null);
        return new PlatformAccount(
            user.Id ?? throw Protocol("a user has no id"),
            email,
            name,
            null,
            user.Active == false ? AccountStatus.Suspended : AccountStatus.Active,
            user.Meta?.Created)
        {
            ExternalId = user.ExternalId,
        };
    }

    private static PlatformGroup ToGroup(ScimGroup group) =>
        new(group.Id ?? throw Protocol("a group has no id"), group.DisplayName ?? "", group.Meta?.Created) { ExternalId = group.ExternalId };

    private static ChangeResult Changed(bool found) => found ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    // startIndex is 1-based (RFC 7644 §3.4.2.4). The next page starts after what was returned, not after what was
    // asked for: targets may return fewer than count (E23, their own maxResults).
    private static int StartIndex(string? pageToken) =>
        pageToken is null ? 1
        : int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start >= 1 ? start
        : throw new ArgumentException("Not a page token of this adapter.", nameof(pageToken));

    private static string? NextToken(int start, int returned, int totalResults) =>
        returned == 0 || start + returned > totalResults ? null : (start + returned).ToString(CultureInfo.InvariantCulture);

    private PlatformPermanentException NotFound(string what) =>
        new(PlatformErrorKind.NotFound, $"{Target.Platform}: {what} does not exist.") { Target = Target.Name };

    private static PlatformPermanentException Protocol(string what) =>
        new(PlatformErrorKind.Protocol, $"SCIM target answered something unreadable: {what}.");
}
