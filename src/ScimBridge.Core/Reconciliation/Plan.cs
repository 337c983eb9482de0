using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reconciliation;

public enum StepKind
{
    InviteAccount,
    CancelInvitation,
    RemoveAccount,
    SetOrganizationRole,
    CreateContainer,
    GrantMembership,
    RevokeMembership,
    AddGroupMember,
    RemoveGroupMember,
    DisableCredential,
    DeleteCredential,
}

/// <summary>
/// One change the plan would make on a target. Steps are values: applying the same step twice is harmless because
/// every adapter operation is idempotent, which is what lets the executor retry after a crash.
/// </summary>
public sealed record PlanStep(StepKind Kind, string Target, string Reason)
{
    public string? IdentityId { get; init; }

    public string? Email { get; init; }

    public string? AccountId { get; init; }

    public string? ContainerId { get; init; }

    public string? ContainerName { get; init; }

    public string? Role { get; init; }

    /// <summary>The role the account or membership had when the plan was made (the audit trail's "before").</summary>
    public string? PreviousRole { get; init; }

    public string? GroupId { get; init; }

    public string? InvitationId { get; init; }

    public CredentialRef? Credential { get; init; }

    public IReadOnlyList<ContainerGrant> Containers { get; init; } = [];

    /// <summary>Steps that take access away; these count toward the removal circuit breaker.</summary>
    public bool IsRemoval => Kind is StepKind.RemoveAccount or StepKind.RevokeMembership or StepKind.RemoveGroupMember
        or StepKind.DisableCredential or StepKind.DeleteCredential or StepKind.CancelInvitation;
}

public enum DriftKind
{
    /// <summary>The policy grants it; the platform does not have it.</summary>
    MissingAccess,

    /// <summary>The platform has it; no rule grants it.</summary>
    ExtraAccess,

    RoleMismatch,

    /// <summary>Invited and not accepted yet.</summary>
    PendingInvite,

    /// <summary>A platform account no IdP identity owns (shadow AI).</summary>
    UnownedAccount,

    /// <summary>The policy asks for something the adapter cannot do (a missing capability).</summary>
    Unsupported,
}

/// <summary>A difference between desired and actual state, whether or not the plan acts on it.</summary>
public sealed record DriftItem(DriftKind Kind, string Target, string Subject, string Detail);

/// <summary>The difference between desired and actual state for one target: the steps, and all drift seen.</summary>
public sealed record TargetPlan(string Target, IReadOnlyList<PlanStep> Steps, IReadOnlyList<DriftItem> Drift)
{
    public int Removals => Steps.Count(s => s.IsRemoval);
}
