using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.OpenAI;

/// <summary>
/// An OpenAI organisation through the Admin API: users, invites, projects and their members, RBAC groups, roles and
/// role assignments, project service accounts and keys, admin keys and the audit log. Not implemented, because the
/// API has no such operation: disabling or renaming a key (<see cref="ICredentialDisabler"/>,
/// <see cref="ICredentialRenamer"/>).
/// </summary>
internal sealed partial class OpenAIAdapter(PlatformTarget target, OpenAIClient client, TimeProvider time, ILogger<OpenAIAdapter> logger)
    : IPlatformAdapter,
      IAccountLookup,
      IMembershipLookup,
      IContainerReader,
      IGroupReader,
      IRoleReader,
      ICredentialReader,
      IInvitationReader,
      IActivityReader,
      IAccountInviter,
      IAccountRemover,
      IAccountRoleManager,
      IMembershipGranter,
      IMembershipRevoker,
      IContainerManager,
      IGroupManager,
      IRoleAssignmentManager,
      ICredentialDeleter,
      ICredentialIssuer
{
    public PlatformTarget Target { get; } = target;

    public async Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.ListUsersAsync(after: null, limit: 1, cancellationToken).ConfigureAwait(false);
            return new AdapterHealth(true, "The admin key can list organization users.");
        }
        catch (PlatformException ex)
        {
            // Messages from PlatformHttpClient are already redacted; they never carry the key.
            return new AdapterHealth(false, ex.Message);
        }
    }

    // Accounts

    public async Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListUsersAsync(pageToken, limit: null, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformAccount>([.. page.Data.Select(ToAccount)], Next(page, u => u.Id));
    }

    public async Task<ChangeResult> SetAccountRoleAsync(string accountId, string role, CancellationToken cancellationToken)
    {
        var user = await client.GetUserAsync(accountId, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound("modify_user", $"OpenAI has no organization user {accountId}.");
        if (string.Equals(user.Role, role, StringComparison.Ordinal))
        {
            return ChangeResult.AlreadyInState;
        }

        await client.ModifyUserRoleAsync(accountId, role, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    public async Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken) =>
        await client.DeleteUserAsync(accountId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    // Invitations

    public async Task<Page<PlatformInvitation>> ListInvitationsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListInvitesAsync(pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformInvitation>([.. page.Data.Select(ToInvitation)], Next(page, i => i.Id));
    }

    /// <summary>
    /// A second POST /organization/invites for the same email would send a second email (and the API does not dedupe),
    /// so the member list (by email) and the pending invites are checked first.
    /// </summary>
    public async Task<InviteResult> InviteAsync(AccountInvitation invitation, CancellationToken cancellationToken)
    {
        var email = invitation.Email.Trim();
        var members = await client.FindUsersByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (members.Data.FirstOrDefault(u => SameEmail(u.Email, email)) is { } member)
        {
            return new InviteResult(InviteOutcome.AlreadyMember, member.Id);
        }

        // The invite list has no email filter; it is short (pending invites expire) and read one page at a time.
        string? after = null;
        do
        {
            var page = await client.ListInvitesAsync(after, cancellationToken).ConfigureAwait(false);
            if (page.Data.FirstOrDefault(i => SameEmail(i.Email, email) && ToInvitation(i).Status == InvitationStatus.Pending) is { } pending)
            {
                return new InviteResult(InviteOutcome.AlreadyInvited, pending.Id);
            }

            after = Next(page, i => i.Id);
        }
        while (after is not null);

        var request = new InviteRequest(email, invitation.Role, [.. invitation.Containers.Select(c => new InviteProject(c.ContainerId, c.Role))]);
        var created = await client.CreateInviteAsync(request, cancellationToken).ConfigureAwait(false);
        LogInvited(logger, Target.Name, created.Id, request.Projects.Count);
        return new InviteResult(InviteOutcome.Invited, created.Id);
    }

    /// <summary>An accepted invite cannot be deleted (the API answers 400): that surfaces as an error, not as success.</summary>
    public async Task<ChangeResult> CancelInvitationAsync(string invitationId, CancellationToken cancellationToken) =>
        await client.DeleteInviteAsync(invitationId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    // Projects

    /// <summary>Archived projects included, flagged: reconciliation must tell "archived" from "missing".</summary>
    public async Task<Page<PlatformContainer>> ListContainersAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListProjectsAsync(pageToken, limit: null, includeArchived: true, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformContainer>([.. page.Data.Select(ToContainer)], Next(page, p => p.Id));
    }

    public async Task<Page<ContainerMember>> ListMembersAsync(string containerId, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListProjectUsersAsync(containerId, pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<ContainerMember>(
            [.. page.Data.Select(u => new ContainerMember(containerId, u.Id, u.Email, u.Name, u.Role))],
            Next(page, u => u.Id));
    }

    public async Task<PlatformAccount?> FindAccountAsync(string email, CancellationToken cancellationToken)
    {
        // emails[] filters server-side; the match is re-checked case-insensitively, as invite idempotence does.
        var page = await client.FindUsersByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        return page.Data.Where(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)).Select(ToAccount).FirstOrDefault();
    }

    public async Task<ContainerMember?> FindMemberAsync(string containerId, string accountId, CancellationToken cancellationToken) =>
        await client.GetProjectUserAsync(containerId, accountId, cancellationToken).ConfigureAwait(false) is { } user
            ? new ContainerMember(containerId, user.Id, user.Email, user.Name, user.Role)
            : null;

    public async Task<PlatformContainer> CreateContainerAsync(string name, CancellationToken cancellationToken) =>
        ToContainer(await client.CreateProjectAsync(name, cancellationToken).ConfigureAwait(false));

    public async Task<ChangeResult> ArchiveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var project = await client.GetProjectAsync(containerId, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound("archive_project", $"OpenAI has no project {containerId}.");
        if (IsArchived(project))
        {
            return ChangeResult.AlreadyInState;
        }

        await client.ArchiveProjectAsync(containerId, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    /// <summary>
    /// Read first, then add or modify: POST …/users for an existing member is an error, and a modify to the role it
    /// already has is a needless write. The user must already be an organization member (the API answers 400).
    /// </summary>
    public async Task<ChangeResult> GrantMembershipAsync(string containerId, string accountId, string role, CancellationToken cancellationToken)
    {
        var current = await client.GetProjectUserAsync(containerId, accountId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            await client.AddProjectUserAsync(containerId, accountId, role, cancellationToken).ConfigureAwait(false);
            return ChangeResult.Applied;
        }

        if (string.Equals(current.Role, role, StringComparison.Ordinal))
        {
            return ChangeResult.AlreadyInState;
        }

        await client.ModifyProjectUserAsync(containerId, accountId, role, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    public async Task<ChangeResult> RevokeMembershipAsync(string containerId, string accountId, CancellationToken cancellationToken) =>
        await client.DeleteProjectUserAsync(containerId, accountId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    // Groups

    public async Task<Page<PlatformGroup>> ListGroupsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListGroupsAsync(pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformGroup>([.. page.Data.Select(ToGroup)], Next(page, "list_groups"));
    }

    public async Task<Page<GroupMember>> ListGroupMembersAsync(string groupId, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListGroupUsersAsync(groupId, pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<GroupMember>([.. page.Data.Select(u => new GroupMember(groupId, u.Id))], Next(page, "list_group_users"));
    }

    public async Task<PlatformGroup> CreateGroupAsync(string name, CancellationToken cancellationToken) =>
        ToGroup(await client.CreateGroupAsync(name, cancellationToken).ConfigureAwait(false));

    public async Task<ChangeResult> DeleteGroupAsync(string groupId, CancellationToken cancellationToken) =>
        await client.DeleteGroupAsync(groupId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    public async Task<ChangeResult> AddGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken)
    {
        if (await client.GetGroupUserAsync(groupId, accountId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ChangeResult.AlreadyInState;
        }

        await client.AddGroupUserAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    public async Task<ChangeResult> RemoveGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken) =>
        await client.DeleteGroupUserAsync(groupId, accountId, cancellationToken).ConfigureAwait(false) ? ChangeResult.Applied : ChangeResult.AlreadyInState;

    // Roles

    public async Task<Page<PlatformRole>> ListRolesAsync(string? containerId, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListRolesAsync(containerId, pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformRole>(
            [.. page.Data.Select(r => new PlatformRole(r.Id, r.Name, r.PredefinedRole, r.Permissions ?? []) { ContainerId = containerId, Description = r.Description })],
            Next(page, "list_roles"));
    }

    public async Task<Page<RoleAssignment>> ListRoleAssignmentsAsync(PrincipalRef principal, string? containerId, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListRoleAssignmentsAsync(OpenAIClient.RoleAssignmentsPath(principal, containerId), pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<RoleAssignment>([.. page.Data.Select(r => new RoleAssignment(principal, r.Id, r.Name, containerId))], Next(page, "list_role_assignments"));
    }

    public async Task<ChangeResult> AssignRoleAsync(PrincipalRef principal, string roleId, string? containerId, CancellationToken cancellationToken)
    {
        var path = OpenAIClient.RoleAssignmentsPath(principal, containerId);
        if (await client.GetRoleAssignmentAsync(path, roleId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ChangeResult.AlreadyInState;
        }

        await client.AssignRoleAsync(path, roleId, cancellationToken).ConfigureAwait(false);
        return ChangeResult.Applied;
    }

    public async Task<ChangeResult> UnassignRoleAsync(PrincipalRef principal, string roleId, string? containerId, CancellationToken cancellationToken) =>
        await client.UnassignRoleAsync(OpenAIClient.RoleAssignmentsPath(principal, containerId), roleId, cancellationToken).ConfigureAwait(false)
            ? ChangeResult.Applied
            : ChangeResult.AlreadyInState;

    // Credentials

    /// <summary>
    /// Admin keys, then per active project its API keys (user- and service-account-owned) and its service accounts.
    /// Archived projects are skipped: archiving disables a project's keys. A page is never empty unless it is the last,
    /// so projects without keys cost a request each but never a round trip to the caller.
    /// </summary>
    public async Task<Page<PlatformCredential>> ListCredentialsAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var cursor = pageToken is null ? CredentialPageToken.Start : CredentialPageToken.Parse(pageToken);
        while (true)
        {
            List<PlatformCredential> items;
            CredentialPageToken? next;
            switch (cursor.Phase)
            {
                case CredentialPhase.AdminKeys:
                    var admin = await client.ListAdminApiKeysAsync(cursor.After, cancellationToken).ConfigureAwait(false);
                    items = [.. admin.Data.Select(ToCredential)];
                    next = Next(admin, k => k.Id) is { } adminAfter
                        ? cursor with { After = adminAfter }
                        : await FirstPhaseOfProjectAfterAsync(null, cancellationToken).ConfigureAwait(false);
                    break;
                case CredentialPhase.ProjectKeys:
                    var keys = await client.ListProjectApiKeysAsync(cursor.Project!, cursor.After, cancellationToken).ConfigureAwait(false);
                    items = [.. keys.Data.Select(k => ToCredential(k, cursor.Project!))];
                    next = Next(keys, k => k.Id) is { } keysAfter
                        ? cursor with { After = keysAfter }
                        : new CredentialPageToken(CredentialPhase.ServiceAccounts, cursor.Project, null);
                    break;
                case CredentialPhase.ServiceAccounts:
                    var accounts = await client.ListServiceAccountsAsync(cursor.Project!, cursor.After, cancellationToken).ConfigureAwait(false);
                    items = [.. accounts.Data.Select(a => ToCredential(a, cursor.Project!))];
                    next = Next(accounts, a => a.Id) is { } accountsAfter
                        ? cursor with { After = accountsAfter }
                        : await FirstPhaseOfProjectAfterAsync(cursor.Project, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new UnreachableException($"Unknown credential phase {cursor.Phase}.");
            }

            if (items.Count > 0 || next is null)
            {
                return new Page<PlatformCredential>(items, next?.Encode());
            }

            cursor = next;
        }
    }

    /// <summary>
    /// Mints a project service account; OpenAI returns its first key's value in this one answer only. ScimBridge's own
    /// credentials are always service accounts because the API cannot create user-owned keys.
    /// </summary>
    public async Task<IssuedCredential> IssueCredentialAsync(string containerId, string name, CancellationToken cancellationToken)
    {
        var account = await client.CreateServiceAccountAsync(containerId, name, cancellationToken).ConfigureAwait(false);
        if (account.ApiKey?.Value is not { Length: > 0 } value)
        {
            throw new PlatformPermanentException(
                PlatformErrorKind.Protocol,
                $"OpenAI created service account {account.Id} in project {containerId} but returned no key; delete it or create a key for it.")
            {
                Target = Target.Name,
                Operation = "create_service_account",
            };
        }

        LogIssued(logger, Target.Name, account.Id, account.ApiKey.Id, containerId);
        return new IssuedCredential(ToCredential(account, containerId), new PlatformSecret(value));
    }

    /// <summary>
    /// User-owned keys and service accounts are deleted. A service-account key is refused: the API answers an error
    /// for it ("delete the service account instead", spec: DELETE …/api_keys/{id}), and deleting the account on the
    /// caller's behalf would also destroy its other keys, which is a bigger change than was asked for. The refusal
    /// names the account, so the caller can delete it as <see cref="CredentialKind.ServiceAccount"/>.
    /// </summary>
    public async Task<ChangeResult> DeleteCredentialAsync(CredentialRef credential, CancellationToken cancellationToken)
    {
        switch (credential.Kind)
        {
            case CredentialKind.ApiKey:
                return await client.DeleteProjectApiKeyAsync(ProjectOf(credential), credential.Id, cancellationToken).ConfigureAwait(false)
                    ? ChangeResult.Applied
                    : ChangeResult.AlreadyInState;
            case CredentialKind.ServiceAccount:
                return await client.DeleteServiceAccountAsync(ProjectOf(credential), credential.Id, cancellationToken).ConfigureAwait(false)
                    ? ChangeResult.Applied
                    : ChangeResult.AlreadyInState;
            case CredentialKind.ServiceAccountKey:
                var key = await client.GetProjectApiKeyAsync(ProjectOf(credential), credential.Id, cancellationToken).ConfigureAwait(false);
                if (key is null)
                {
                    return ChangeResult.AlreadyInState;
                }

                var owner = key.Owner?.ServiceAccount?.Id;
                throw new PlatformPermanentException(
                    PlatformErrorKind.NotAllowed,
                    $"OpenAI does not delete service-account keys; delete service account {owner ?? "(unknown)"} in project {credential.ContainerId} instead.")
                {
                    Target = Target.Name,
                    Operation = "delete_project_api_key",
                };
            default:
                throw new PlatformPermanentException(
                    PlatformErrorKind.NotAllowed,
                    "Admin keys are ScimBridge's own kind of credential and are never deleted by it; revoke them in the OpenAI console.")
                {
                    Target = Target.Name,
                    Operation = "delete_admin_api_key",
                };
        }
    }

    // Activity

    public async Task<Page<PlatformActivity>> ListActivityAsync(ActivityQuery query, string? pageToken, CancellationToken cancellationToken)
    {
        var page = await client.ListAuditLogsAsync(query.Since, query.Until, pageToken, cancellationToken).ConfigureAwait(false);
        return new Page<PlatformActivity>([.. page.Data.Select(ToActivity)], Next(page, e => e.Id));
    }

    private async Task<CredentialPageToken?> FirstPhaseOfProjectAfterAsync(string? project, CancellationToken cancellationToken)
    {
        var projects = await client.ListProjectsAsync(project, limit: 1, includeArchived: false, cancellationToken).ConfigureAwait(false);
        return projects.Data.Count > 0 ? new CredentialPageToken(CredentialPhase.ProjectKeys, projects.Data[0].Id, null) : null;
    }

    private string ProjectOf(CredentialRef credential) => credential.ContainerId
        ?? throw new PlatformPermanentException(PlatformErrorKind.Validation, $"OpenAI {credential.Kind} {credential.Id} needs its project id.")
        {
            Target = Target.Name,
        };

    private PlatformPermanentException NotFound(string operation, string message) =>
        new PlatformPermanentException(PlatformErrorKind.NotFound, message) { StatusCode = 404, Target = Target.Name, Operation = operation };

    /// <summary>The next <c>after</c> of a classic list: its last_id, or the last item's id if the platform left it out.</summary>
    private static string? Next<T>(ClassicList<T> page, Func<T, string> id) =>
        page.HasMore && page.Data.Count > 0 ? page.LastId ?? id(page.Data[^1]) : null;

    private string? Next<T>(RbacList<T> page, string operation) => page.HasMore
        ? page.Next ?? throw new PlatformPermanentException(PlatformErrorKind.Protocol, $"OpenAI {operation} said has_more without a next cursor.")
        {
            Target = Target.Name,
            Operation = operation,
        }
        : null;

    private static DateTimeOffset? FromUnix(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static bool SameEmail(string? a, string b) => string.Equals(a?.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private static bool IsArchived(Project project) =>
        project.ArchivedAt is not null || string.Equals(project.Status, "archived", StringComparison.Ordinal);

    private static PlatformAccount ToAccount(OrganizationUser user) =>
        new(user.Id, user.Email, user.Name, user.Role, user.User is { Banned: true } or { Enabled: false } ? AccountStatus.Suspended : AccountStatus.Active, FromUnix(user.AddedAt))
        {
            IsServiceAccount = user.IsServiceAccount ?? false,
            IsScimManaged = user.IsScimManaged ?? false,
            LastActiveAt = FromUnix(user.ApiKeyLastUsedAt),
        };

    private PlatformInvitation ToInvitation(Invite invite)
    {
        var expiresAt = FromUnix(invite.ExpiresAt);
        var status = invite.Status switch
        {
            "accepted" => InvitationStatus.Accepted,
            "expired" => InvitationStatus.Expired,

            // A pending invite past its expiry is not pending any more, whatever the status field still says.
            _ when expiresAt is { } expiry && expiry <= time.GetUtcNow() => InvitationStatus.Expired,
            _ => InvitationStatus.Pending,
        };
        return new PlatformInvitation(
            invite.Id,
            invite.Email,
            invite.Role,
            status,
            FromUnix(invite.CreatedAt ?? invite.InvitedAt),
            expiresAt,
            [.. (invite.Projects ?? []).Select(p => new ContainerGrant(p.Id, p.Role))]);
    }

    private static PlatformContainer ToContainer(Project project) =>
        new(project.Id, project.Name ?? project.Id, ContainerKind.Project, IsArchived(project), FromUnix(project.CreatedAt))
        {
            ExternalKey = project.ExternalKeyId,
        };

    private static PlatformGroup ToGroup(Group group) =>
        new(group.Id, group.Name, FromUnix(group.CreatedAt)) { IsScimManaged = group.IsScimManaged ?? false };

    private PlatformCredential ToCredential(AdminApiKey key)
    {
        var expiresAt = FromUnix(key.ExpiresAt);
        var owner = key.Owner is { Id: { } ownerId } o
            ? new CredentialOwner(o.Type == "service_account" ? PrincipalKind.ServiceAccount : PrincipalKind.User, ownerId, null, o.Name)
            : null;
        var status = expiresAt is { } expiry && expiry <= time.GetUtcNow() ? CredentialStatus.Expired : CredentialStatus.Active;
        return new PlatformCredential(key.Id, CredentialKind.AdminKey, key.Name, null, owner, status, FromUnix(key.CreatedAt), FromUnix(key.LastUsedAt))
        {
            RedactedValue = key.RedactedValue,
            ExpiresAt = expiresAt,
            Role = key.Owner?.Role,
        };
    }

    private static PlatformCredential ToCredential(ProjectApiKey key, string project)
    {
        var (kind, owner, role) = key.Owner switch
        {
            { Type: "service_account", ServiceAccount: { } sa } =>
                (CredentialKind.ServiceAccountKey, new CredentialOwner(PrincipalKind.ServiceAccount, sa.Id, null, sa.Name), sa.Role),
            { Type: "service_account" } => (CredentialKind.ServiceAccountKey, null, null),
            { User: { } user } => (CredentialKind.ApiKey, new CredentialOwner(PrincipalKind.User, user.Id, user.Email, user.Name), user.Role),
            _ => (CredentialKind.ApiKey, (CredentialOwner?)null, (string?)null),
        };

        // owner_project_access says whether the key's owner can still use the project: "inactive" keys exist but do
        // not work, e.g. a user removed from the project.
        var status = key.OwnerProjectAccess == "inactive" ? CredentialStatus.Inactive : CredentialStatus.Active;
        return new PlatformCredential(key.Id, kind, key.Name, project, owner, status, FromUnix(key.CreatedAt), FromUnix(key.LastUsedAt))
        {
            RedactedValue = key.RedactedValue,
            Role = role,
        };
    }

    private static PlatformCredential ToCredential(ServiceAccount account, string project) =>
        new(account.Id, CredentialKind.ServiceAccount, account.Name, project, null, CredentialStatus.Active, FromUnix(account.CreatedAt), null)
        {
            Role = account.Role,
        };

    private static PlatformActivity ToActivity(AuditLog entry)
    {
        var activity = new PlatformActivity(entry.Id, entry.Type, DateTimeOffset.FromUnixTimeSeconds(entry.EffectiveAt)) { ContainerId = entry.Project?.Id };
        return entry.Actor switch
        {
            { Type: "session", Session: { } session } => activity with
            {
                ActorAccountId = session.User?.Id,
                ActorEmail = session.User?.Email,
                IpAddress = session.IpAddress,
                UserAgent = session.UserAgent,
            },
            { Type: "api_key", ApiKey: { } key } => activity with
            {
                ActorCredentialId = key.Id,
                ActorAccountId = key.User?.Id ?? key.ServiceAccount?.Id,
                ActorEmail = key.User?.Email,
            },
            _ => activity,
        };
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "OpenAI target {Target}: sent invite {InviteId} with {ProjectCount} project assignments")]
    private static partial void LogInvited(ILogger logger, string target, string inviteId, int projectCount);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "OpenAI target {Target}: created service account {ServiceAccountId} with key {KeyId} in project {ProjectId}")]
    private static partial void LogIssued(ILogger logger, string target, string serviceAccountId, string keyId, string projectId);
}
