using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// What a run needs to read from a target. A full pass reads everything. A run for a few changed identities reads only
/// their accounts (by lookup, where the adapter can), their memberships, and credentials and group memberships only
/// when the plan can need them (a leaver's keys; groups the policy manages on that target).
/// </summary>
public sealed record SnapshotScope(IReadOnlyCollection<string>? Emails, bool Credentials, bool Groups)
{
    public static SnapshotScope Full { get; } = new(null, true, true);

    public bool IsFull => Emails is null;
}

/// <summary>
/// Reads a target's actual state through whatever its adapter can list. A listing the adapter lacks stays empty and
/// the snapshot's capabilities say so, so the planner reports "cannot see" rather than "has none". Independent reads
/// run side by side: with 50 ms per platform call, their sum would otherwise be the leaver's wait.
/// </summary>
public static class SnapshotReader
{
    private const int LookupConcurrency = 8;

    public static Task<TargetSnapshot> ReadAsync(IPlatformAdapter adapter, CancellationToken cancellationToken) =>
        ReadAsync(adapter, SnapshotScope.Full, cancellationToken);

    public static async Task<TargetSnapshot> ReadAsync(IPlatformAdapter adapter, SnapshotScope scope, CancellationToken cancellationToken)
    {
        var caps = adapter.Capabilities();
        var accountsTask = scope.Emails is { } emails && adapter is IAccountLookup lookup
            ? LookUpAsync(emails, (email, ct) => lookup.FindAccountAsync(email, ct), cancellationToken)
            : ToListAsync(Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken));
        var invitationsTask = adapter is IInvitationReader invites
            ? ToListAsync(Pages.ReadAllAsync(invites.ListInvitationsAsync, cancellationToken))
            : Task.FromResult(new List<PlatformInvitation>());
        var containersTask = adapter is IContainerReader containerReader
            ? ToListAsync(Pages.ReadAllAsync(containerReader.ListContainersAsync, cancellationToken))
            : Task.FromResult(new List<PlatformContainer>());
        var groupsTask = scope.Groups && adapter is IGroupReader groupReader
            ? ReadGroupsAsync(groupReader, cancellationToken)
            : Task.FromResult((new List<PlatformGroup>(), new Dictionary<string, IReadOnlyList<GroupMember>>(StringComparer.Ordinal)));
        var credentialsTask = scope.Credentials && adapter is ICredentialReader credentialReader
            ? ToListAsync(Pages.ReadAllAsync(credentialReader.ListCredentialsAsync, cancellationToken))
            : Task.FromResult(new List<PlatformCredential>());

        var accounts = await accountsTask.ConfigureAwait(false);
        var containers = await containersTask.ConfigureAwait(false);
        var members = new Dictionary<string, IReadOnlyList<ContainerMember>>(StringComparer.Ordinal);
        if (adapter is IContainerReader reader)
        {
            var open = containers.Where(c => !c.Archived).ToList();
            if (!scope.IsFull && adapter is IMembershipLookup memberships)
            {
                var pairs = open.SelectMany(c => accounts.Select(a => (Container: c.Id, Account: a.Id))).ToList();
                var found = await LookUpAsync(pairs, (pair, ct) => memberships.FindMemberAsync(pair.Container, pair.Account, ct), cancellationToken).ConfigureAwait(false);
                foreach (var container in open)
                {
                    members[container.Id] = [.. found.Where(m => m.ContainerId == container.Id)];
                }
            }
            else
            {
                var lists = await Task.WhenAll(open.Select(c => ToListAsync(Pages.ReadAllAsync((token, ct) => reader.ListMembersAsync(c.Id, token, ct), cancellationToken)))).ConfigureAwait(false);
                for (var i = 0; i < open.Count; i++)
                {
                    members[open[i].Id] = lists[i];
                }
            }
        }

        var (groups, groupMembers) = await groupsTask.ConfigureAwait(false);
        return new TargetSnapshot(
            adapter.Target.Name, caps, accounts, await invitationsTask.ConfigureAwait(false), containers, members, groups, groupMembers,
            await credentialsTask.ConfigureAwait(false));
    }

    private static async Task<(List<PlatformGroup>, Dictionary<string, IReadOnlyList<GroupMember>>)> ReadGroupsAsync(IGroupReader reader, CancellationToken cancellationToken)
    {
        var groups = await ToListAsync(Pages.ReadAllAsync(reader.ListGroupsAsync, cancellationToken)).ConfigureAwait(false);
        var members = new Dictionary<string, IReadOnlyList<GroupMember>>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            members[group.Id] = await ToListAsync(Pages.ReadAllAsync((token, ct) => reader.ListGroupMembersAsync(group.Id, token, ct), cancellationToken)).ConfigureAwait(false);
        }

        return (groups, members);
    }

    private static async Task<List<TResult>> LookUpAsync<TKey, TResult>(IEnumerable<TKey> keys, Func<TKey, CancellationToken, Task<TResult?>> find, CancellationToken cancellationToken)
        where TResult : class
    {
        var results = new List<TResult>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            if (await find(key, ct).ConfigureAwait(false) is { } found)
            {
                lock (results)
                {
                    results.Add(found);
                }
            }
        }).ConfigureAwait(false);
        return results;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
