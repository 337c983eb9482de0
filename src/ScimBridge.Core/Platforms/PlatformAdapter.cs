namespace ScimBridge.Core.Platforms;

/// <summary>
/// What every platform adapter does: identify its target, check its credentials and list the platform's accounts.
/// Everything else is opt-in through the capability interfaces in this folder (baton-sdk's ConnectorBuilder, split by
/// capability so a missing capability is a missing interface rather than a method that throws). Adapters speak only
/// platform terms; which identity should get what is policy and lives in reconciliation.
/// </summary>
public interface IPlatformAdapter
{
    PlatformTarget Target { get; }

    /// <summary>Exercises the configured credentials with one cheap read; never throws for auth failures.</summary>
    Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken);

    /// <summary>One page of the platform's accounts (members of the org or team). Tokens are opaque and per adapter.</summary>
    Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Containers (OpenAI projects, Anthropic workspaces, a Cursor team) and who is in them with which role.</summary>
public interface IContainerReader
{
    Task<Page<PlatformContainer>> ListContainersAsync(string? pageToken, CancellationToken cancellationToken);

    Task<Page<ContainerMember>> ListMembersAsync(string containerId, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>
/// Finds one account by email without listing them all. Reconciliation of a few changed identities uses it so a SCIM
/// change costs a lookup per person, not a listing of a 100,000-member organisation.
/// </summary>
public interface IAccountLookup
{
    Task<PlatformAccount?> FindAccountAsync(string email, CancellationToken cancellationToken);
}

/// <summary>One account's membership of one container (null when not a member), without listing the container.</summary>
public interface IMembershipLookup
{
    Task<ContainerMember?> FindMemberAsync(string containerId, string accountId, CancellationToken cancellationToken);
}

/// <summary>Platform groups (OpenAI RBAC groups, SCIM groups of a downstream app) and their members.</summary>
public interface IGroupReader
{
    Task<Page<PlatformGroup>> ListGroupsAsync(string? pageToken, CancellationToken cancellationToken);

    Task<Page<GroupMember>> ListGroupMembersAsync(string groupId, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Roles the platform defines (predefined and custom) and who holds them.</summary>
public interface IRoleReader
{
    /// <summary>Roles at organisation scope (<paramref name="containerId"/> null) or defined on one container.</summary>
    Task<Page<PlatformRole>> ListRolesAsync(string? containerId, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Roles assigned to one principal, at organisation scope or on one container.</summary>
    Task<Page<RoleAssignment>> ListRoleAssignmentsAsync(PrincipalRef principal, string? containerId, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Every API key and service account the adapter can see, with its owner: the non-human identities.</summary>
public interface ICredentialReader
{
    Task<Page<PlatformCredential>> ListCredentialsAsync(string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Outstanding invitations, so reconciliation can tell "pending" from "missing".</summary>
public interface IInvitationReader
{
    Task<Page<PlatformInvitation>> ListInvitationsAsync(string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Platform activity (audit log events, daily usage) for attributing use to identities.</summary>
public interface IActivityReader
{
    Task<Page<PlatformActivity>> ListActivityAsync(ActivityQuery query, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>Brings a person onto the platform: an invitation (OpenAI, Anthropic) or a created account (SCIM).</summary>
public interface IAccountInviter
{
    /// <summary>Idempotent: an existing member or a pending invitation for the same email is success, not a second invite.</summary>
    Task<InviteResult> InviteAsync(AccountInvitation invitation, CancellationToken cancellationToken);

    /// <summary>Withdraws a pending invitation; one already gone is success.</summary>
    Task<ChangeResult> CancelInvitationAsync(string invitationId, CancellationToken cancellationToken);
}

/// <summary>Removes an account from the organisation or team; one already absent is success.</summary>
public interface IAccountRemover
{
    Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken);
}

/// <summary>Changes an account's organisation-level role.</summary>
public interface IAccountRoleManager
{
    Task<ChangeResult> SetAccountRoleAsync(string accountId, string role, CancellationToken cancellationToken);
}

/// <summary>Grants container membership with a role, or changes the role of an existing member.</summary>
public interface IMembershipGranter
{
    /// <summary>Idempotent: a member already holding <paramref name="role"/> is <see cref="ChangeOutcome.AlreadyInState"/>.</summary>
    Task<ChangeResult> GrantMembershipAsync(string containerId, string accountId, string role, CancellationToken cancellationToken);
}

/// <summary>Removes an account from a container.</summary>
public interface IMembershipRevoker
{
    /// <summary>Idempotent: a platform 404 (no such member) is <see cref="ChangeOutcome.AlreadyInState"/>.</summary>
    Task<ChangeResult> RevokeMembershipAsync(string containerId, string accountId, CancellationToken cancellationToken);
}

/// <summary>Creates and archives containers (there is no delete on OpenAI or Anthropic).</summary>
public interface IContainerManager
{
    Task<PlatformContainer> CreateContainerAsync(string name, CancellationToken cancellationToken);

    Task<ChangeResult> ArchiveContainerAsync(string containerId, CancellationToken cancellationToken);
}

/// <summary>Manages platform groups and their members.</summary>
public interface IGroupManager
{
    Task<PlatformGroup> CreateGroupAsync(string name, CancellationToken cancellationToken);

    Task<ChangeResult> DeleteGroupAsync(string groupId, CancellationToken cancellationToken);

    Task<ChangeResult> AddGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken);

    Task<ChangeResult> RemoveGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken);
}

/// <summary>Assigns and unassigns roles (organisation scope, or on one container) to users or groups.</summary>
public interface IRoleAssignmentManager
{
    Task<ChangeResult> AssignRoleAsync(PrincipalRef principal, string roleId, string? containerId, CancellationToken cancellationToken);

    Task<ChangeResult> UnassignRoleAsync(PrincipalRef principal, string roleId, string? containerId, CancellationToken cancellationToken);
}

/// <summary>Turns a credential off without destroying it (Anthropic: status inactive).</summary>
public interface ICredentialDisabler
{
    Task<ChangeResult> DisableCredentialAsync(CredentialRef credential, CancellationToken cancellationToken);
}

/// <summary>Destroys a credential (OpenAI: delete a user-owned project key, or delete a service account).</summary>
public interface ICredentialDeleter
{
    Task<ChangeResult> DeleteCredentialAsync(CredentialRef credential, CancellationToken cancellationToken);
}

/// <summary>Renames a credential (Anthropic API keys), e.g. to tag a leaver's key before it is disabled.</summary>
public interface ICredentialRenamer
{
    Task<ChangeResult> RenameCredentialAsync(CredentialRef credential, string name, CancellationToken cancellationToken);
}

/// <summary>
/// Mints a credential ScimBridge governs (OpenAI: a project service account and its key). The secret comes back once,
/// out of band in <see cref="IssuedCredential.Secret"/>, and is never stored or logged (baton: plaintext secrets are
/// returned separately, never inside the resource).
/// </summary>
public interface ICredentialIssuer
{
    Task<IssuedCredential> IssueCredentialAsync(string containerId, string name, CancellationToken cancellationToken);
}
