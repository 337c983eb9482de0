using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// What one target really has, read through its adapter: accounts, pending invitations, containers and their members,
/// platform groups and their members, and credentials. Collections the adapter cannot read are empty and flagged in
/// <see cref="Capabilities"/>, so the planner never mistakes "cannot see" for "has none".
/// </summary>
public sealed record TargetSnapshot(
    string Target,
    PlatformCapabilities Capabilities,
    IReadOnlyList<PlatformAccount> Accounts,
    IReadOnlyList<PlatformInvitation> Invitations,
    IReadOnlyList<PlatformContainer> Containers,
    IReadOnlyDictionary<string, IReadOnlyList<ContainerMember>> Members,
    IReadOnlyList<PlatformGroup> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<GroupMember>> GroupMembers,
    IReadOnlyList<PlatformCredential> Credentials);
