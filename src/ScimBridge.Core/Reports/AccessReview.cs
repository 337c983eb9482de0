using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Reports;

/// <summary>GET /admin/reports/access-review; field names are the API contract.</summary>
public sealed record AccessReviewResult(DateTimeOffset Generated, IReadOnlyList<AccessReviewRow> Rows)
{
    public IReadOnlyList<TargetReadError> Errors { get; init; } = [];
}

/// <summary>
/// One identity's access to one platform object: the role the policy gives (or, for "extra", the role held), the rules
/// and IdP groups that give it, and what the platform actually has.
/// </summary>
public sealed record AccessReviewRow(
    string Target,
    string Platform,
    string Object,
    string? Identity,
    string? Email,
    string? Role,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> Groups,
    string Actual)
{
    /// <summary>The role the platform shows, when the account holds the object (it may differ from <see cref="Role"/>).</summary>
    public string? ActualRole { get; init; }
}

/// <summary>
/// The access review export for review campaigns: per target and platform object (the organisation, each project,
/// workspace or team, each platform group), who has which role through which rule and group, and whether the platform
/// agrees (granted, missing, pending invitation), plus access the platform shows that no rule grants (extra), including
/// accounts no IdP identity owns (identity null).
/// </summary>
public sealed class AccessReview(IPlatformRegistry platforms, IPolicyProvider policies, IdentitySource identities, TimeProvider time)
{
    public const string Granted = "granted";
    public const string Missing = "missing";
    public const string Pending = "pending";
    public const string Extra = "extra";

    public async Task<AccessReviewResult> BuildAsync(string? target, CancellationToken cancellationToken)
    {
        var policy = policies.Current.Policy
            ?? throw new ConflictException("No valid mapping policy: " + string.Join("; ", policies.Current.Errors));
        var adapters = ReportTargets.Select(platforms, target);
        var evaluator = new PolicyEvaluator(policy, platforms.Adapters.ToDictionary(a => a.Target.Name, a => a.Target.Platform, StringComparer.Ordinal));
        var attributes = policy.Rules.SelectMany(r => r.Match.Attributes.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var people = new List<(SourcedIdentity Identity, IReadOnlyDictionary<string, DesiredAccess> Desired)>();
        await foreach (var identity in identities.ListAsync(attributes, cancellationToken).ConfigureAwait(false))
        {
            people.Add((identity, evaluator.Evaluate(identity.Identity)));
        }

        var rows = new List<AccessReviewRow>();
        var errors = new List<TargetReadError>();
        foreach (var adapter in adapters)
        {
            try
            {
                var snapshot = await SnapshotReader.ReadAsync(adapter, cancellationToken).ConfigureAwait(false);
                rows.AddRange(Rows(adapter.Target, snapshot, people));
            }
            catch (PlatformException e)
            {
                errors.Add(new TargetReadError(adapter.Target.Name, e.Message));
            }
        }

        return new AccessReviewResult(time.GetUtcNow(), rows) { Errors = errors };
    }

    /// <summary>The rows of one target: a pure function of its snapshot and each identity's desired access.</summary>
    public static IEnumerable<AccessReviewRow> Rows(
        PlatformTarget target, TargetSnapshot actual, IReadOnlyList<(SourcedIdentity Identity, IReadOnlyDictionary<string, DesiredAccess> Desired)> people)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(people);
        var word = PlatformFacts.ContainerWord(target.Platform) ?? "container";
        var containersByName = actual.Containers.Where(c => !c.Archived).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var containersById = actual.Containers.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var groupsByName = actual.Groups.GroupBy(g => g.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var groupsById = actual.Groups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        var accounts = actual.Accounts.Where(a => a.Email is not null && a.Status != AccountStatus.Removed && !a.IsServiceAccount)
            .GroupBy(a => a.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var pending = actual.Invitations.Where(i => i.Status == InvitationStatus.Pending).Select(i => i.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var memberships = actual.Members.Values.SelectMany(m => m).ToLookup(m => m.AccountId, StringComparer.Ordinal);
        var groupMemberships = actual.GroupMembers.Values.SelectMany(m => m).ToLookup(m => m.AccountId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var (identity, desiredByTarget) in people)
        {
            if (identity.Email is not { } email)
            {
                continue;
            }

            seen.Add(email);
            var userName = identity.Identity.UserName;
            accounts.TryGetValue(email, out var account);
            var missingOrPending = account is null && pending.Contains(email) ? Pending : Missing;
            if (!desiredByTarget.TryGetValue(target.Name, out var desired))
            {
                if (account is not null)
                {
                    foreach (var row in ExtraRows(target, userName, email, account, null, containersById, groupsById, memberships, groupMemberships))
                    {
                        yield return row;
                    }
                }

                continue;
            }

            var (orgRules, orgGroups) = Why(desired, r => r.Grant == "access" || r.Grant.StartsWith("orgRole ", StringComparison.Ordinal));
            yield return new AccessReviewRow(target.Name, target.Platform, "org", userName, email, desired.OrganizationRole, orgRules, orgGroups, account is null ? missingOrPending : Granted)
            {
                ActualRole = account?.Role,
            };

            var held = account is null ? [] : memberships[account.Id].ToDictionary(m => m.ContainerId, StringComparer.Ordinal);
            foreach (var (name, role) in desired.Containers.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                containersByName.TryGetValue(name, out var container);
                var member = container is null ? null : held.GetValueOrDefault(container.Id);
                var (rules, groups) = Why(desired, r => r.Grant.StartsWith($"container {name}: ", StringComparison.Ordinal));
                yield return new AccessReviewRow(
                    target.Name, target.Platform, container is null ? $"{word}:{name}" : PlatformFacts.ContainerObject(container), userName, email, role, rules, groups,
                    member is not null ? Granted : missingOrPending)
                {
                    ActualRole = member?.Role,
                };
            }

            var inGroups = account is null ? [] : groupMemberships[account.Id].Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
            foreach (var groupName in desired.Groups.Order(StringComparer.Ordinal))
            {
                var has = groupsByName.TryGetValue(groupName, out var group) && inGroups.Contains(group.Id);
                var (rules, groups) = Why(desired, r => r.Grant == $"group {groupName}");
                yield return new AccessReviewRow(target.Name, target.Platform, "group:" + groupName, userName, email, null, rules, groups, has ? Granted : missingOrPending);
            }

            if (account is not null)
            {
                foreach (var row in ExtraRows(target, userName, email, account, desired, containersById, groupsById, memberships, groupMemberships))
                {
                    yield return row;
                }
            }
        }

        // Accounts no IdP identity has: every piece of their access is extra.
        foreach (var account in accounts.Values.Where(a => !seen.Contains(a.Email!)).OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase))
        {
            foreach (var row in ExtraRows(target, null, account.Email!, account, null, containersById, groupsById, memberships, groupMemberships))
            {
                yield return row;
            }
        }
    }

    private static IEnumerable<AccessReviewRow> ExtraRows(
        PlatformTarget target,
        string? userName,
        string email,
        PlatformAccount account,
        DesiredAccess? desired,
        Dictionary<string, PlatformContainer> containersById,
        Dictionary<string, PlatformGroup> groupsById,
        ILookup<string, ContainerMember> memberships,
        ILookup<string, GroupMember> groupMemberships)
    {
        if (desired is null)
        {
            yield return new AccessReviewRow(target.Name, target.Platform, "org", userName, email, account.Role, [], [], Extra) { ActualRole = account.Role };
        }

        foreach (var member in memberships[account.Id].OrderBy(m => m.ContainerId, StringComparer.Ordinal))
        {
            // A Cursor team is the organisation itself: its membership is the org row.
            if (!containersById.TryGetValue(member.ContainerId, out var container) || container.Kind == ContainerKind.Team
                || (desired?.Containers.ContainsKey(container.Name) ?? false))
            {
                continue;
            }

            yield return new AccessReviewRow(target.Name, target.Platform, PlatformFacts.ContainerObject(container), userName, email, member.Role, [], [], Extra)
            {
                ActualRole = member.Role,
            };
        }

        foreach (var member in groupMemberships[account.Id].OrderBy(m => m.GroupId, StringComparer.Ordinal))
        {
            if (!groupsById.TryGetValue(member.GroupId, out var group) || (desired?.Groups.Contains(group.Name, StringComparer.Ordinal) ?? false))
            {
                continue;
            }

            yield return new AccessReviewRow(target.Name, target.Platform, "group:" + group.Name, userName, email, null, [], [], Extra);
        }
    }

    private static (IReadOnlyList<string> Rules, IReadOnlyList<string> Groups) Why(DesiredAccess desired, Func<AccessReason, bool> about)
    {
        var reasons = desired.Reasons.Where(about).ToList();
        return ([.. reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal)], [.. reasons.Select(r => r.Group).OfType<string>().Distinct(StringComparer.Ordinal)]);
    }
}
