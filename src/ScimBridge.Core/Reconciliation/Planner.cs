using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// One IdP identity as the planner sees it for one target: its email and what the policy says it should have.
/// <c>Desired</c> is null when no rule grants it anything there (every deactivated identity included);
/// <c>PreviouslyManaged</c> says ScimBridge granted it access there before, so losing it now makes a leaver.
/// </summary>
public sealed record IdentityPlanInput(string IdentityId, string Email, DesiredAccess? Desired, bool PreviouslyManaged);

/// <summary>
/// The pure heart of reconciliation: desired state (policy × SCIM store) minus actual state (the target's snapshot)
/// gives the steps and the drift, for one target. No I/O and no clock, so every joiner, mover and leaver case is a unit
/// test. Only objects the policy manages are touched: containers and platform groups named by the target's rules or
/// declared under the target, and accounts of IdP identities. Access nobody's rule grants is reported, and removed only
/// when the target says <see cref="UnmanagedAccess.Remove"/>.
/// </summary>
public static class Planner
{
    // fullScope: identities is every IdP identity (a full pass). Only then are the platform's other accounts known to
    // be unowned; a run for a few changed identities must not call everyone else shadow access.
    public static TargetPlan Plan(TargetPolicy target, MappingPolicy policy, IReadOnlyList<IdentityPlanInput> identities, TargetSnapshot actual, bool fullScope = true)
    {
        var steps = new List<PlanStep>();
        var drift = new List<DriftItem>();
        var caps = actual.Capabilities;
        var name = target.Name;

        var managedContainers = new HashSet<string>(target.Containers, StringComparer.Ordinal);
        var managedGroups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in policy.Rules.SelectMany(r => r.Grants).Where(g => g.Target == name))
        {
            managedContainers.UnionWith(grant.Containers.Keys);
            managedGroups.UnionWith(grant.Groups);
        }

        var containersByName = actual.Containers.Where(c => !c.Archived).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var groupsByName = actual.Groups.GroupBy(g => g.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var accountsByEmail = actual.Accounts.Where(a => a.Email is not null && a.Status != AccountStatus.Removed && !a.IsServiceAccount)
            .GroupBy(a => a.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var pendingByEmail = actual.Invitations.Where(i => i.Status == InvitationStatus.Pending)
            .GroupBy(i => i.Email, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var memberships = actual.Members.Values.SelectMany(m => m).ToLookup(m => m.AccountId, StringComparer.Ordinal);
        var groupMemberships = actual.GroupMembers.Values.SelectMany(m => m).ToLookup(m => m.AccountId, StringComparer.Ordinal);
        var credentialsByOwner = actual.Credentials.Where(c => c.Kind == CredentialKind.ApiKey && c.Owner is { Kind: PrincipalKind.User } && c.Status == CredentialStatus.Active)
            .ToLookup(c => c.Owner!.Id, StringComparer.Ordinal);

        // Containers the policy declares or grants into but the platform lacks: created once, before any grant into them.
        foreach (var containerName in managedContainers.Where(c => !containersByName.ContainsKey(c)).Order(StringComparer.Ordinal))
        {
            if (caps.HasFlag(PlatformCapabilities.ManageContainers))
            {
                steps.Add(new PlanStep(StepKind.CreateContainer, name, $"container '{containerName}' is declared by the policy") { ContainerName = containerName });
            }
            else
            {
                drift.Add(new DriftItem(DriftKind.Unsupported, name, containerName, "the container is missing and the adapter cannot create containers"));
            }
        }

        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var identity in identities)
        {
            known.Add(identity.Email);
            accountsByEmail.TryGetValue(identity.Email, out var account);
            if (identity.Desired is { } desired)
            {
                PlanJoinerOrMover(name, identity, desired, account, pendingByEmail, containersByName, groupsByName, managedContainers, managedGroups, memberships, groupMemberships, caps, steps, drift);
            }
            else if (account is not null)
            {
                var leaver = identity.PreviouslyManaged || target.Unmanaged == UnmanagedAccess.Remove;
                drift.Add(new DriftItem(DriftKind.ExtraAccess, name, identity.Email, identity.PreviouslyManaged ? "no rule grants access any more (leaver)" : "an IdP identity has access no rule grants"));
                if (leaver)
                {
                    PlanLeaver(name, identity.IdentityId, identity.Email, account, memberships, groupMemberships, credentialsByOwner, caps, steps, drift);
                }
            }
            else if (identity.PreviouslyManaged && pendingByEmail.TryGetValue(identity.Email, out var invite))
            {
                // A leaver who never accepted: withdraw the invitation, or they could still join after leaving.
                drift.Add(new DriftItem(DriftKind.ExtraAccess, name, identity.Email, "a pending invitation no rule grants any more"));
                AddOrUnsupported(caps, PlatformCapabilities.InviteAccounts, steps, drift, name, identity.Email,
                    new PlanStep(StepKind.CancelInvitation, name, "the identity is leaving") { IdentityId = identity.IdentityId, Email = identity.Email, InvitationId = invite.Id });
            }
        }

        // Platform accounts that no IdP identity owns: shadow access.
        foreach (var account in accountsByEmail.Values.Where(a => fullScope && !known.Contains(a.Email!)).OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase))
        {
            drift.Add(new DriftItem(DriftKind.UnownedAccount, name, account.Email!, $"account {account.Id} ({account.Role}) has no IdP identity"));
            if (target.Unmanaged == UnmanagedAccess.Remove && account.Role is not "owner")
            {
                PlanLeaver(name, null, account.Email!, account, memberships, groupMemberships, credentialsByOwner, caps, steps, drift);
            }
        }

        return new TargetPlan(name, steps, drift);
    }

    private static void PlanJoinerOrMover(
        string target,
        IdentityPlanInput identity,
        DesiredAccess desired,
        PlatformAccount? account,
        Dictionary<string, PlatformInvitation> pending,
        Dictionary<string, PlatformContainer> containers,
        Dictionary<string, PlatformGroup> groups,
        HashSet<string> managedContainers,
        HashSet<string> managedGroups,
        ILookup<string, ContainerMember> memberships,
        ILookup<string, GroupMember> groupMemberships,
        PlatformCapabilities caps,
        List<PlanStep> steps,
        List<DriftItem> drift)
    {
        var why = string.Join(", ", desired.Reasons.Select(r => r.Group is null ? r.Rule : $"{r.Rule} via {r.Group}").Distinct(StringComparer.Ordinal));
        if (account is null)
        {
            if (pending.TryGetValue(identity.Email, out var invite))
            {
                drift.Add(new DriftItem(DriftKind.PendingInvite, target, identity.Email, $"invitation {invite.Id} not accepted yet"));
                return;
            }

            drift.Add(new DriftItem(DriftKind.MissingAccess, target, identity.Email, $"no account ({why})"));
            if (!caps.HasFlag(PlatformCapabilities.InviteAccounts))
            {
                drift.Add(new DriftItem(DriftKind.Unsupported, target, identity.Email, "the adapter cannot invite or create accounts"));
                return;
            }

            // Invitations that can carry container grants (OpenAI) take the ones whose containers exist already.
            steps.Add(new PlanStep(StepKind.InviteAccount, target, why)
            {
                IdentityId = identity.IdentityId,
                Email = identity.Email,
                Role = desired.OrganizationRole,
                Containers = [.. desired.Containers.Where(c => containers.ContainsKey(c.Key)).Select(c => new ContainerGrant(containers[c.Key].Id, c.Value))],
            });
            return;
        }

        if (desired.OrganizationRole is { } orgRole && !string.Equals(account.Role, orgRole, StringComparison.OrdinalIgnoreCase))
        {
            drift.Add(new DriftItem(DriftKind.RoleMismatch, target, identity.Email, $"organisation role {account.Role ?? "none"}, policy says {orgRole}"));
            AddOrUnsupported(caps, PlatformCapabilities.SetAccountRoles, steps, drift, target, identity.Email,
                new PlanStep(StepKind.SetOrganizationRole, target, why) { IdentityId = identity.IdentityId, Email = identity.Email, AccountId = account.Id, Role = orgRole, PreviousRole = account.Role });
        }

        var current = memberships[account.Id].ToDictionary(m => m.ContainerId, StringComparer.Ordinal);
        foreach (var (containerName, role) in desired.Containers.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            containers.TryGetValue(containerName, out var container);
            var member = container is null ? null : current.GetValueOrDefault(container.Id);
            if (member is not null && string.Equals(member.Role, role, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            drift.Add(member is null
                ? new DriftItem(DriftKind.MissingAccess, target, identity.Email, $"not in {containerName} ({why})")
                : new DriftItem(DriftKind.RoleMismatch, target, identity.Email, $"{member.Role} in {containerName}, policy says {role}"));
            AddOrUnsupported(caps, PlatformCapabilities.GrantMembership, steps, drift, target, identity.Email,
                new PlanStep(StepKind.GrantMembership, target, why)
                {
                    IdentityId = identity.IdentityId, Email = identity.Email, AccountId = account.Id, ContainerId = container?.Id, ContainerName = containerName, Role = role,
                    PreviousRole = member?.Role,
                });
        }

        foreach (var member in current.Values.OrderBy(m => m.ContainerId, StringComparer.Ordinal))
        {
            var containerName = containers.Values.FirstOrDefault(c => c.Id == member.ContainerId)?.Name;
            if (containerName is null || !managedContainers.Contains(containerName) || desired.Containers.ContainsKey(containerName))
            {
                continue;
            }

            drift.Add(new DriftItem(DriftKind.ExtraAccess, target, identity.Email, $"{member.Role} in {containerName}; no rule grants it"));
            AddOrUnsupported(caps, PlatformCapabilities.RevokeMembership, steps, drift, target, identity.Email,
                new PlanStep(StepKind.RevokeMembership, target, "no rule grants this container")
                {
                    IdentityId = identity.IdentityId, Email = identity.Email, AccountId = account.Id, ContainerId = member.ContainerId, ContainerName = containerName,
                    PreviousRole = member.Role,
                });
        }

        var inGroups = groupMemberships[account.Id].Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
        foreach (var groupName in managedGroups.Order(StringComparer.Ordinal))
        {
            var group = groups.GetValueOrDefault(groupName);
            var wanted = desired.Groups.Contains(groupName, StringComparer.Ordinal);
            var has = group is not null && inGroups.Contains(group.Id);
            if (wanted == has)
            {
                continue;
            }

            if (group is null)
            {
                drift.Add(new DriftItem(DriftKind.Unsupported, target, identity.Email, $"platform group '{groupName}' does not exist"));
                continue;
            }

            drift.Add(new DriftItem(wanted ? DriftKind.MissingAccess : DriftKind.ExtraAccess, target, identity.Email, $"group {groupName}"));
            AddOrUnsupported(caps, PlatformCapabilities.ManageGroups, steps, drift, target, identity.Email,
                new PlanStep(wanted ? StepKind.AddGroupMember : StepKind.RemoveGroupMember, target, wanted ? why : "no rule grants this group")
                {
                    IdentityId = identity.IdentityId, Email = identity.Email, AccountId = account.Id, GroupId = group.Id,
                });
        }
    }

    // A leaver's keys go first (while the owner still resolves), then the account. Removing the account removes its
    // memberships on every platform we know, so memberships are not revoked one by one unless the account cannot go.
    private static void PlanLeaver(
        string target,
        string? identityId,
        string email,
        PlatformAccount account,
        ILookup<string, ContainerMember> memberships,
        ILookup<string, GroupMember> groupMemberships,
        ILookup<string, PlatformCredential> credentialsByOwner,
        PlatformCapabilities caps,
        List<PlanStep> steps,
        List<DriftItem> drift)
    {
        foreach (var key in credentialsByOwner[account.Id].OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            var credential = new CredentialRef(key.Id, key.Kind, key.ContainerId);
            if (caps.HasFlag(PlatformCapabilities.DeleteCredentials))
            {
                steps.Add(new PlanStep(StepKind.DeleteCredential, target, "the owner is leaving") { IdentityId = identityId, Email = email, AccountId = account.Id, Credential = credential });
            }
            else if (caps.HasFlag(PlatformCapabilities.DisableCredentials))
            {
                steps.Add(new PlanStep(StepKind.DisableCredential, target, "the owner is leaving") { IdentityId = identityId, Email = email, AccountId = account.Id, Credential = credential });
            }
            else
            {
                drift.Add(new DriftItem(DriftKind.Unsupported, target, email, $"key {key.Id} cannot be disabled or deleted by the adapter"));
            }
        }

        if (caps.HasFlag(PlatformCapabilities.RemoveAccounts))
        {
            steps.Add(new PlanStep(StepKind.RemoveAccount, target, "the identity is leaving") { IdentityId = identityId, Email = email, AccountId = account.Id, PreviousRole = account.Role });
            return;
        }

        foreach (var member in memberships[account.Id])
        {
            AddOrUnsupported(caps, PlatformCapabilities.RevokeMembership, steps, drift, target, email,
                new PlanStep(StepKind.RevokeMembership, target, "the identity is leaving") { IdentityId = identityId, Email = email, AccountId = account.Id, ContainerId = member.ContainerId, PreviousRole = member.Role });
        }

        foreach (var member in groupMemberships[account.Id])
        {
            AddOrUnsupported(caps, PlatformCapabilities.ManageGroups, steps, drift, target, email,
                new PlanStep(StepKind.RemoveGroupMember, target, "the identity is leaving") { IdentityId = identityId, Email = email, AccountId = account.Id, GroupId = member.GroupId });
        }
    }

    private static void AddOrUnsupported(PlatformCapabilities caps, PlatformCapabilities needed, List<PlanStep> steps, List<DriftItem> drift, string target, string subject, PlanStep step)
    {
        if (caps.HasFlag(needed))
        {
            steps.Add(step);
        }
        else
        {
            drift.Add(new DriftItem(DriftKind.Unsupported, target, subject, $"{step.Kind} needs the {needed} capability, which the adapter lacks"));
        }
    }
}
