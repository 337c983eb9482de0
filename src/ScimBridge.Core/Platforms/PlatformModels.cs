namespace ScimBridge.Core.Platforms;

/// <summary>One configured platform instance: "openai-research" of platform "openai". Several may share a platform.</summary>
public sealed record PlatformTarget(string Name, string Platform)
{
    /// <summary>
    /// How many calls ScimBridge makes to this target at once (the target's concurrency budget): a plan's identities are
    /// applied this many side by side, and the HTTP pipeline lets no more than this many requests be in flight.
    /// </summary>
    public int MaxConcurrency { get; init; } = 4;
}

public sealed record AdapterHealth(bool Healthy, string Detail);

public enum AccountStatus
{
    Active,
    Suspended,
    Removed,
}

/// <summary>A person (or, where the platform lists them together, a service account) in the organisation or team.</summary>
public sealed record PlatformAccount(
    string Id,
    string? Email,
    string? Name,
    string? Role,
    AccountStatus Status,
    DateTimeOffset? AddedAt)
{
    public bool IsServiceAccount { get; init; }

    /// <summary>True when the platform says its own SCIM integration manages the account (OpenAI <c>is_scim_managed</c>).</summary>
    public bool IsScimManaged { get; init; }

    /// <summary>The platform's own last-activity signal, where it has one (OpenAI <c>api_key_last_used_at</c>).</summary>
    public DateTimeOffset? LastActiveAt { get; init; }

    /// <summary>The account's id in a downstream SCIM app's terms, e.g. its externalId.</summary>
    public string? ExternalId { get; init; }
}

public enum ContainerKind
{
    Project,
    Workspace,
    Team,
}

public sealed record PlatformContainer(string Id, string Name, ContainerKind Kind, bool Archived, DateTimeOffset? CreatedAt)
{
    public string? ExternalKey { get; init; }
}

public sealed record ContainerMember(string ContainerId, string AccountId, string? Email, string? Name, string Role);

public sealed record PlatformGroup(string Id, string Name, DateTimeOffset? CreatedAt)
{
    public bool IsScimManaged { get; init; }

    public string? ExternalId { get; init; }
}

public sealed record GroupMember(string GroupId, string AccountId);

public enum PrincipalKind
{
    User,
    Group,
    ServiceAccount,
}

public sealed record PrincipalRef(PrincipalKind Kind, string Id);

public sealed record PlatformRole(string Id, string Name, bool Predefined, IReadOnlyList<string> Permissions)
{
    /// <summary>The container the role is defined on; null for organisation roles.</summary>
    public string? ContainerId { get; init; }

    public string? Description { get; init; }
}

public sealed record RoleAssignment(PrincipalRef Principal, string RoleId, string RoleName, string? ContainerId);

public enum CredentialKind
{
    /// <summary>A key a person created (OpenAI user-owned project key, Anthropic API key).</summary>
    ApiKey,

    /// <summary>A service account (OpenAI project service account).</summary>
    ServiceAccount,

    /// <summary>A key owned by a service account.</summary>
    ServiceAccountKey,

    /// <summary>An organisation admin key (read only: ScimBridge's own kind of credential).</summary>
    AdminKey,
}

public enum CredentialStatus
{
    Active,
    Inactive,
    Archived,
    Expired,
}

public sealed record CredentialOwner(PrincipalKind Kind, string Id, string? Email, string? Name);

/// <summary>An API key or service account. Never carries a secret: at most the platform's redacted hint.</summary>
public sealed record PlatformCredential(
    string Id,
    CredentialKind Kind,
    string? Name,
    string? ContainerId,
    CredentialOwner? Owner,
    CredentialStatus Status,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUsedAt)
{
    public string? RedactedValue { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Role { get; init; }
}

/// <summary>Enough to address a credential for a change: OpenAI keys live under a project.</summary>
public sealed record CredentialRef(string Id, CredentialKind Kind, string? ContainerId);

public enum InvitationStatus
{
    Pending,
    Accepted,
    Expired,
}

public sealed record ContainerGrant(string ContainerId, string Role);

public sealed record PlatformInvitation(
    string Id,
    string Email,
    string? Role,
    InvitationStatus Status,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<ContainerGrant> Containers);

public sealed record AccountInvitation(string Email, string? Name, string Role, IReadOnlyList<ContainerGrant> Containers)
{
    /// <summary>The IdP's identifier (SCIM externalId of a downstream app); optional.</summary>
    public string? ExternalId { get; init; }
}

public enum InviteOutcome
{
    /// <summary>An invitation was sent; the person is a member once they accept.</summary>
    Invited,

    /// <summary>The account was created directly (downstream SCIM).</summary>
    Created,

    AlreadyInvited,
    AlreadyMember,
}

public sealed record InviteResult(InviteOutcome Outcome, string Id);

public enum ChangeOutcome
{
    /// <summary>The platform changed.</summary>
    Applied,

    /// <summary>The platform was already in the asked-for state (present on grant, absent on revoke).</summary>
    AlreadyInState,
}

public sealed record ChangeResult(ChangeOutcome Outcome)
{
    public static ChangeResult Applied { get; } = new(ChangeOutcome.Applied);

    public static ChangeResult AlreadyInState { get; } = new(ChangeOutcome.AlreadyInState);
}

/// <summary>A freshly minted credential. <see cref="Secret"/> is shown once to whoever asked, never stored or logged.</summary>
public sealed record IssuedCredential(PlatformCredential Credential, PlatformSecret Secret);

/// <summary>A secret value that does not print itself: ToString, records and log formatting all see a placeholder.</summary>
public sealed class PlatformSecret(string value)
{
    public string Reveal() => value;

    public override string ToString() => "***";
}

public sealed record ActivityQuery(DateTimeOffset Since, DateTimeOffset? Until = null);

/// <summary>One event of platform activity, attributed as far as the platform allows.</summary>
public sealed record PlatformActivity(string Id, string Type, DateTimeOffset OccurredAt)
{
    public string? ActorAccountId { get; init; }

    public string? ActorEmail { get; init; }

    public string? ActorCredentialId { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? ContainerId { get; init; }
}
