using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Anthropic;

/// <summary>
/// The Anthropic Admin API (Claude Console organisations) in platform terms: users and invites are the accounts,
/// workspaces are the containers, API keys are the credentials. The Admin API has no API-key create and no delete
/// (keys are made in the Console; the SDK's api_keys resource has only retrieve, update and list), so this adapter
/// reads keys and can disable or rename them, and declares neither <see cref="ICredentialIssuer"/> nor
/// <see cref="ICredentialDeleter"/>. Activity is the Claude Code usage report, the one per-person record the Admin API has.
/// </summary>
internal sealed class AnthropicAdapter(PlatformTarget target, AnthropicClient client, ILogger<AnthropicAdapter> logger, TimeProvider time)
    : IPlatformAdapter,
        IAccountLookup,
        IMembershipLookup,
        IContainerReader,
        IInvitationReader,
        ICredentialReader,
        IActivityReader,
        IAccountInviter,
        IAccountRemover,
        IAccountRoleManager,
        IMembershipGranter,
        IMembershipRevoker,
        IContainerManager,
        ICredentialDisabler,
        ICredentialRenamer
{
    /// <summary>Add Workspace Member rejects this role ("Cannot be workspace_billing"); only Update Workspace Member sets it.</summary>
    public const string WorkspaceBillingRole = "workspace_billing";

    /// <summary>One actor's Claude Code use on one UTC day, from the Claude Code usage report.</summary>
    public const string ClaudeCodeActivityType = "claude_code.usage";

    public PlatformTarget Target { get; } = target;

    public async Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var organization = await client.GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
            return new AdapterHealth(true, $"Admin key accepted for organization {organization.Name ?? organization.Id}.");
        }
        catch (PlatformException ex)
        {
            // The message was redacted by PlatformHttpClient; the key itself never reaches it.
            return new AdapterHealth(false, ex.Message);
        }
    }

    public async Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListUsersAsync(pageToken, client.PageSize, email: null, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformAccount>([.. page.Data.Select(ToAccount)], NextToken(page, "users.list"));
    }

    public async Task<Page<PlatformContainer>> ListContainersAsync(string? pageToken, CancellationToken cancellationToken)
    {
        // Archived workspaces are listed (flagged) so reconciliation sees a workspace it archived rather than a gap.
        var page = await client.ListWorkspacesAsync(pageToken, client.PageSize, includeArchived: true, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformContainer>([.. page.Data.Select(ToContainer)], NextToken(page, "workspaces.list"));
    }

    public async Task<Page<ContainerMember>> ListMembersAsync(string containerId, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListMembersAsync(containerId, pageToken, client.PageSize, cancellationToken).ConfigureAwait(false);

        // A workspace member carries only IDs and the role; email and name live on the User.
        return new Page<ContainerMember>(
            [.. page.Data.Select(m => new ContainerMember(m.WorkspaceId, m.UserId, Email: null, Name: null, m.WorkspaceRole))],
            NextToken(page, "workspace_members.list"));
    }

    public async Task<PlatformAccount?> FindAccountAsync(string email, CancellationToken cancellationToken)
    {
        var page = await client.ListUsersAsync(null, client.PageSize, email, cancellationToken).ConfigureAwait(false);
        return page.Data.Where(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)).Select(ToAccount).FirstOrDefault();
    }

    public async Task<ContainerMember?> FindMemberAsync(string containerId, string accountId, CancellationToken cancellationToken) =>
        await client.GetMemberAsync(containerId, accountId, cancellationToken).ConfigureAwait(false) is { } member
            ? new ContainerMember(member.WorkspaceId, member.UserId, Email: null, Name: null, member.WorkspaceRole)
            : null;

    public async Task<Page<PlatformInvitation>> ListInvitationsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListInvitesAsync(pageToken, client.PageSize, email: null, statuses: null, cancellationToken).ConfigureAwait(false);
        var invitations = new List<PlatformInvitation>(page.Data.Count);
        foreach (var invite in page.Data)
        {
            InvitationStatus? status = invite.Status switch
            {
                "pending" => InvitationStatus.Pending,
                "accepted" => InvitationStatus.Accepted,
                "expired" => InvitationStatus.Expired,
                _ => null,
            };
            if (status is null)
            {
                // "deleted" invites are withdrawn; anything newer is not ours to guess about.
                if (invite.Status != "deleted")
                {
                    AnthropicLog.UnknownInviteStatus(logger, Target.Name, invite.Status);
                }

                continue;
            }

            // Anthropic invites carry an org role only; workspace access is granted after acceptance (see InviteAsync).
            invitations.Add(new PlatformInvitation(invite.Id, invite.Email, invite.Role, status.Value, invite.InvitedAt, invite.ExpiresAt, []));
        }

        return new Page<PlatformInvitation>(invitations, NextToken(page, "invites.list"));
    }

    public async Task<Page<PlatformCredential>> ListCredentialsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListApiKeysAsync(pageToken, client.PageSize, status: null, workspaceId: null, createdByUserId: null, cancellationToken)
            .ConfigureAwait(false);
        return new Page<PlatformCredential>([.. page.Data.Select(ToCredential)], NextToken(page, "api_keys.list"));
    }

    /// <summary>
    /// Claude Code usage per actor and UTC day (GET /v1/organizations/usage_report/claude_code). The report answers one
    /// day per request ("Returns metrics for this single day only"), so the listing walks the UTC days the window
    /// touches, oldest first, and pages within a day by the report's own <c>next_page</c> cursor; the token carries the
    /// day, the last day and that cursor. A row covers its whole day (OccurredAt is the day's midnight), so the day that
    /// contains <see cref="ActivityQuery.Since"/> is read whole, and days after now are not asked for. The messages usage
    /// report (grouped by API key and workspace, not by person) is not read yet.
    /// </summary>
    public async Task<Page<PlatformActivity>> ListActivityAsync(ActivityQuery query, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var until = query.Until is { } end && end < now ? end : now;
        var position = pageToken is null ? new UsagePosition(Day(query.Since), Day(until), null) : UsagePosition.Parse(pageToken);
        if (position.Day > position.LastDay)
        {
            return new Page<PlatformActivity>([], null);
        }

        var report = await client.GetClaudeCodeUsageAsync(position.Day, position.Cursor, cancellationToken).ConfigureAwait(false);
        var activities = await ToActivitiesAsync(report.Data, position.Day, cancellationToken).ConfigureAwait(false);
        UsagePosition? next = report.HasMore
            ? position with
            {
                Cursor = report.NextPage is { Length: > 0 } cursor
                    ? cursor
                    : throw Failure(PlatformErrorKind.Protocol, "usage_report.claude_code", "The platform said has_more but gave no next_page."),
            }
            : position.Day < position.LastDay ? new UsagePosition(position.Day.AddDays(1), position.LastDay, null) : null;
        return new Page<PlatformActivity>(activities, next?.ToToken());
    }

    /// <summary>
    /// Sends an org invite unless the email is already a member or already has a pending invite. Anthropic's Create
    /// Invite takes only <c>email</c> and <c>role</c> (and Enterprise RBAC groups), so <see cref="AccountInvitation.Containers"/>
    /// cannot ride on the invite: they are not sent, and reconciliation grants the workspaces once the invite is
    /// accepted and the person appears among the users. The log line records how many grants wait.
    /// </summary>
    public async Task<InviteResult> InviteAsync(AccountInvitation invitation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (string.IsNullOrWhiteSpace(invitation.Email))
        {
            throw Failure(PlatformErrorKind.Validation, "invites.create", "An invitation needs an email address.");
        }

        var members = await client.ListUsersAsync(afterId: null, limit: 1, invitation.Email, cancellationToken).ConfigureAwait(false);
        if (members.Data.Count > 0)
        {
            AnthropicLog.InviteSkipped(logger, Target.Name, nameof(InviteOutcome.AlreadyMember), members.Data[0].Id);
            return new InviteResult(InviteOutcome.AlreadyMember, members.Data[0].Id);
        }

        var pending = await client.ListInvitesAsync(afterId: null, limit: 1, invitation.Email, ["pending"], cancellationToken).ConfigureAwait(false);
        if (pending.Data.Count > 0)
        {
            AnthropicLog.InviteSkipped(logger, Target.Name, nameof(InviteOutcome.AlreadyInvited), pending.Data[0].Id);
            return new InviteResult(InviteOutcome.AlreadyInvited, pending.Data[0].Id);
        }

        var invite = await client.CreateInviteAsync(invitation.Email, invitation.Role, cancellationToken).ConfigureAwait(false);
        AnthropicLog.InviteSentGrantsDeferred(logger, Target.Name, invite.Id, invitation.Containers.Count);
        return new InviteResult(InviteOutcome.Invited, invite.Id);
    }

    public async Task<ChangeResult> CancelInvitationAsync(string invitationId, CancellationToken cancellationToken) =>
        await client.DeleteInviteAsync(invitationId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    public async Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken) =>
        await client.RemoveUserAsync(accountId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    /// <summary>Console orgs can assign user, developer, billing and claude_code_user; the API rejects "admin" with a 400.</summary>
    public async Task<ChangeResult> SetAccountRoleAsync(string accountId, string role, CancellationToken cancellationToken)
    {
        var user = await client.GetUserAsync(accountId, cancellationToken).ConfigureAwait(false)
            ?? throw Failure(PlatformErrorKind.NotFound, "users.update", $"No Anthropic user {accountId}.", 404);
        if (string.Equals(user.Role, role, StringComparison.Ordinal))
        {
            return ChangeResult.AlreadyInState;
        }

        await client.UpdateUserRoleAsync(accountId, role, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    /// <summary>
    /// Adds the user to the workspace, or changes the role of a member. <c>workspace_billing</c> can only be set on an
    /// existing member (Add Workspace Member: "Cannot be workspace_billing"); for a non-member it is refused here rather
    /// than emulated by adding with another role first, which would grant more than asked for in between.
    /// </summary>
    public async Task<ChangeResult> GrantMembershipAsync(string containerId, string accountId, string role, CancellationToken cancellationToken)
    {
        var member = await client.GetMemberAsync(containerId, accountId, cancellationToken).ConfigureAwait(false);
        if (member is not null)
        {
            if (string.Equals(member.WorkspaceRole, role, StringComparison.Ordinal))
            {
                return ChangeResult.AlreadyInState;
            }

            await client.UpdateMemberAsync(containerId, accountId, role, cancellationToken).ConfigureAwait(false);
            return ChangeResult.Applied;
        }

        if (string.Equals(role, WorkspaceBillingRole, StringComparison.Ordinal))
        {
            throw Failure(
                PlatformErrorKind.Validation,
                "workspace_members.add",
                $"Anthropic cannot add a workspace member as {WorkspaceBillingRole}; add {accountId} with another role, then change it.");
        }

        try
        {
            await client.AddMemberAsync(containerId, accountId, role, cancellationToken).ConfigureAwait(false);
            return ChangeResult.Applied;
        }
        catch (PlatformPermanentException ex) when (ex.Kind is PlatformErrorKind.Validation or PlatformErrorKind.Conflict)
        {
            // Someone else (the Console, another run) may have added the user between our read and our add: look again.
            var now = await client.GetMemberAsync(containerId, accountId, cancellationToken).ConfigureAwait(false);
            if (now is null)
            {
                throw;
            }

            if (string.Equals(now.WorkspaceRole, role, StringComparison.Ordinal))
            {
                return ChangeResult.AlreadyInState;
            }

            await client.UpdateMemberAsync(containerId, accountId, role, cancellationToken).ConfigureAwait(false);
            return ChangeResult.Applied;
        }
    }

    public async Task<ChangeResult> RevokeMembershipAsync(string containerId, string accountId, CancellationToken cancellationToken) =>
        await client.RemoveMemberAsync(containerId, accountId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    /// <summary>Names are 1–40 characters (Create Workspace); the platform's 400 says so when one is not.</summary>
    public async Task<PlatformContainer> CreateContainerAsync(string name, CancellationToken cancellationToken) =>
        ToContainer(await client.CreateWorkspaceAsync(name, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Archiving is Anthropic's only way to retire a workspace (there is no delete), so it follows delete's rule: a
    /// workspace already archived, or not there at all, is already in the asked-for state.
    /// </summary>
    public async Task<ChangeResult> ArchiveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var workspace = await client.GetWorkspaceAsync(containerId, cancellationToken).ConfigureAwait(false);
        if (workspace is null || workspace.ArchivedAt is not null)
        {
            return ChangeResult.AlreadyInState;
        }

        await client.ArchiveWorkspaceAsync(containerId, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    /// <summary>
    /// Sets an active key to inactive (reversible in the Console, unlike archived). A key that is already inactive,
    /// archived or expired, or that no longer exists, cannot authenticate and is left alone.
    /// </summary>
    public async Task<ChangeResult> DisableCredentialAsync(CredentialRef credential, CancellationToken cancellationToken)
    {
        RequireApiKey(credential, "api_keys.update");
        var key = await client.GetApiKeyAsync(credential.Id, cancellationToken).ConfigureAwait(false);
        if (key is null || key.Status != "active")
        {
            return ChangeResult.AlreadyInState;
        }

        await client.UpdateApiKeyAsync(credential.Id, name: null, status: "inactive", cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    public async Task<ChangeResult> RenameCredentialAsync(CredentialRef credential, string name, CancellationToken cancellationToken)
    {
        RequireApiKey(credential, "api_keys.update");
        var key = await client.GetApiKeyAsync(credential.Id, cancellationToken).ConfigureAwait(false)
            ?? throw Failure(PlatformErrorKind.NotFound, "api_keys.update", $"No Anthropic API key {credential.Id}.", 404);
        if (string.Equals(key.Name, name, StringComparison.Ordinal))
        {
            return ChangeResult.AlreadyInState;
        }

        await client.UpdateApiKeyAsync(credential.Id, name, status: null, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>
    /// A user actor is the person's email (Claude Console login). An API actor names its key only by name, so the key
    /// is looked up by name in the key listing (once per page that has one); a name no key or more than one key has is
    /// passed on as it is, and the activity report then flags it as an unknown key rather than guessing an owner.
    /// </summary>
    private async Task<List<PlatformActivity>> ToActivitiesAsync(IReadOnlyList<AnthropicClaudeCodeRow> rows, DateOnly day, CancellationToken cancellationToken)
    {
        Dictionary<string, string?>? keyIds = null;
        if (rows.Any(r => r.Actor is { Type: "api_actor" }))
        {
            keyIds = await KeyIdsByNameAsync(cancellationToken).ConfigureAwait(false);
        }

        var activities = new List<PlatformActivity>(rows.Count);
        foreach (var row in rows)
        {
            var date = row.Date ?? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

            // Local and remote use of one actor are separate rows (SDK is_remote); the terminal keeps two terminals apart
            // should the report ever split by it, so no row overwrites another under the idempotent store.
            var suffix = $"{row.TerminalType}{(row.IsRemote == true ? ":remote" : "")}";
            var dayText = date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            switch (row.Actor)
            {
                case { Type: "user_actor", EmailAddress: { Length: > 0 } email }:
                    activities.Add(new PlatformActivity($"claude_code:{dayText}:user:{email}:{suffix}", ClaudeCodeActivityType, date)
                    {
                        ActorEmail = email,
                        UserAgent = row.TerminalType,
                    });
                    break;
                case { Type: "api_actor", ApiKeyName: { Length: > 0 } name }:
                    activities.Add(new PlatformActivity($"claude_code:{dayText}:api_key:{name}:{suffix}", ClaudeCodeActivityType, date)
                    {
                        ActorCredentialId = keyIds!.GetValueOrDefault(name) ?? name,
                        UserAgent = row.TerminalType,
                    });
                    break;
                default:
                    AnthropicLog.UnknownUsageActor(logger, Target.Name, row.Actor?.Type);
                    break;
            }
        }

        return activities;
    }

    private async Task<Dictionary<string, string?>> KeyIdsByNameAsync(CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await client.ListApiKeysAsync(after, client.PageSize, status: null, workspaceId: null, createdByUserId: null, cancellationToken)
                .ConfigureAwait(false);
            foreach (var key in page.Data.Where(k => k.Name is not null))
            {
                // Names are not unique; an ambiguous name resolves to no key.
                ids[key.Name!] = ids.ContainsKey(key.Name!) ? null : key.Id;
            }

            after = NextToken(page, "api_keys.list");
        }
        while (after is not null);

        return ids;
    }

    private static PlatformAccount ToAccount(AnthropicUser user) =>
        new(user.Id, user.Email, user.Name, user.Role, AccountStatus.Active, user.AddedAt);

    private static PlatformContainer ToContainer(AnthropicWorkspace workspace) =>
        new(workspace.Id, workspace.Name, ContainerKind.Workspace, workspace.ArchivedAt is not null, workspace.CreatedAt)
        {
            ExternalKey = workspace.ExternalKeyId,
        };

    private PlatformCredential ToCredential(AnthropicApiKey key)
    {
        var status = key.Status switch
        {
            "active" => CredentialStatus.Active,
            "inactive" => CredentialStatus.Inactive,
            "archived" => CredentialStatus.Archived,
            "expired" => CredentialStatus.Expired,
            _ => throw Failure(PlatformErrorKind.Protocol, "api_keys.list", $"API key {key.Id} has a status this adapter does not know: '{key.Status}'."),
        };
        var owner = key.CreatedBy is { } creator
            ? new CredentialOwner(creator.Type == "service_account" ? PrincipalKind.ServiceAccount : PrincipalKind.User, creator.Id, Email: null, Name: null)
            : null;

        // workspace_id is null for the default workspace, which Anthropic does not list as a workspace either.
        return new PlatformCredential(key.Id, CredentialKind.ApiKey, key.Name, key.WorkspaceId, owner, status, key.CreatedAt, LastUsedAt: null)
        {
            RedactedValue = key.PartialKeyHint,
            ExpiresAt = key.ExpiresAt,
        };
    }

    private string? NextToken<T>(AnthropicList<T> page, string operation)
    {
        if (!page.HasMore)
        {
            return null;
        }

        // The next page is "after_id=<last_id>"; a page that says there is more but names no last item cannot continue.
        return page.LastId is { Length: > 0 } last
            ? last
            : throw Failure(PlatformErrorKind.Protocol, operation, "The platform said has_more but gave no last_id.");
    }

    private void RequireApiKey(CredentialRef credential, string operation)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.Kind != CredentialKind.ApiKey)
        {
            throw Failure(PlatformErrorKind.Validation, operation, $"Anthropic credentials are API keys; {credential.Kind} is not one.");
        }
    }

    private PlatformPermanentException Failure(PlatformErrorKind kind, string operation, string message, int? status = null) =>
        new(kind, $"{Target.Platform} {operation}: {message}") { Target = Target.Name, Operation = operation, StatusCode = status };

    /// <summary>Where an activity listing stands; opaque to callers (base64url of "day.lastDay.cursor").</summary>
    private sealed record UsagePosition(DateOnly Day, DateOnly LastDay, string? Cursor)
    {
        public string ToToken() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Day:yyyy-MM-dd}.{LastDay:yyyy-MM-dd}.{Cursor}")))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static UsagePosition Parse(string token)
        {
            try
            {
                var padded = token.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('.', 3);
                if (parts.Length == 3
                    && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    && DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last))
                {
                    return new UsagePosition(day, last, parts[2].Length > 0 ? parts[2] : null);
                }
            }
            catch (FormatException)
            {
                // Falls through to the one error below.
            }

            throw new ArgumentException("Not an activity page token of an Anthropic target.", nameof(token));
        }
    }
}
