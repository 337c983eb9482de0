using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// Reads a target's actual state through whatever its adapter can list. A listing the adapter lacks stays empty and
/// the snapshot's capabilities say so, so the planner reports "cannot see" rather than "has none".
/// </summary>
public static class SnapshotReader
{
    public static async Task<TargetSnapshot> ReadAsync(IPlatformAdapter adapter, CancellationToken cancellationToken)
    {
        var caps = adapter.Capabilities();
        var accounts = await ToListAsync(Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken)).ConfigureAwait(false);
        var invitations = adapter is IInvitationReader invites
            ? await ToListAsync(Pages.ReadAllAsync(invites.ListInvitationsAsync, cancellationToken)).ConfigureAwait(false)
            : [];

        List<PlatformContainer> containers = [];
        var members = new Dictionary<string, IReadOnlyList<ContainerMember>>(StringComparer.Ordinal);
        if (adapter is IContainerReader containerReader)
        {
            containers = await ToListAsync(Pages.ReadAllAsync(containerReader.ListContainersAsync, cancellationToken)).ConfigureAwait(false);
            foreach (var container in containers.Where(c => !c.Archived))
            {
                members[container.Id] = await ToListAsync(Pages.ReadAllAsync(
                    (token, ct) => containerReader.ListMembersAsync(container.Id, token, ct), cancellationToken)).ConfigureAwait(false);
            }
        }

        List<PlatformGroup> groups = [];
        var groupMembers = new Dictionary<string, IReadOnlyList<GroupMember>>(StringComparer.Ordinal);
        if (adapter is IGroupReader groupReader)
        {
            groups = await ToListAsync(Pages.ReadAllAsync(groupReader.ListGroupsAsync, cancellationToken)).ConfigureAwait(false);
            foreach (var group in groups)
            {
                groupMembers[group.Id] = await ToListAsync(Pages.ReadAllAsync(
                    (token, ct) => groupReader.ListGroupMembersAsync(group.Id, token, ct), cancellationToken)).ConfigureAwait(false);
            }
        }

        var credentials = adapter is ICredentialReader credentialReader
            ? await ToListAsync(Pages.ReadAllAsync(credentialReader.ListCredentialsAsync, cancellationToken)).ConfigureAwait(false)
            : [];

        return new TargetSnapshot(adapter.Target.Name, caps, accounts, invitations, containers, members, groups, groupMembers, credentials);
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
