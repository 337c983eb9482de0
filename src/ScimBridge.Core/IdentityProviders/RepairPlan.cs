namespace ScimBridge.Core.IdentityProviders;

public enum RepairAction
{
    CreateUser,
    CreateGroup,
    AddMember,
    RemoveMember,
    DeactivateUser,
}

/// <summary>One change that makes the SCIM store say what the IdP says.</summary>
public sealed record RepairStep(RepairAction Action, IdpFinding Finding);

/// <summary>The steps of a repair, in the order they can be applied, and the ones held back with the reason.</summary>
public sealed record RepairPlan(IReadOnlyList<RepairStep> Steps, IReadOnlyList<RepairStep> Held, string? HeldReason)
{
    public static RepairPlan Nothing { get; } = new([], [], null);

    /// <summary>
    /// Treats the IdP as truth: create what never arrived, deactivate (never delete) users it disabled or no longer
    /// assigns, and add or remove memberships. Users come first so memberships can name them. When the IdP's view is
    /// empty while the store is not, every step that takes something away is held: an IdP that answers "nothing is
    /// assigned" is far more often a wrong app id or a missing permission than a real mass unassignment.
    /// </summary>
    public static RepairPlan For(IReadOnlyList<IdpFinding> findings, IdpView idp, ScimView scim)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(scim);
        var steps = new List<RepairStep>();
        steps.AddRange(findings.Where(f => f.Kind == FindingKind.UserNotReceived).Select(f => new RepairStep(RepairAction.CreateUser, f)));
        steps.AddRange(findings.Where(f => f.Kind == FindingKind.GroupNotReceived).Select(f => new RepairStep(RepairAction.CreateGroup, f)));
        steps.AddRange(findings.Where(f => f.Kind == FindingKind.MembershipNotReceived).Select(f => new RepairStep(RepairAction.AddMember, f)));
        var removals = new List<RepairStep>();
        removals.AddRange(findings.Where(f => f.Kind == FindingKind.MembershipNoLongerAssigned).Select(f => new RepairStep(RepairAction.RemoveMember, f)));
        removals.AddRange(findings
            .Where(f => f.Kind is FindingKind.DisabledInIdpActiveHere or FindingKind.UserNoLongerAssigned)
            .Select(f => new RepairStep(RepairAction.DeactivateUser, f)));

        if (idp.IsEmpty && (scim.Users.Count > 0 || scim.Groups.Count > 0))
        {
            return new RepairPlan(steps, removals, "The IdP returned no assigned users or groups while this connection has some: removals and deactivations are held.");
        }

        steps.AddRange(removals);
        return new RepairPlan(steps, [], null);
    }
}
