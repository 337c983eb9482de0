using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Tests.Reconciliation;

/// <summary>An in-memory platform for planner and executor tests; <see cref="FailNext"/> scripts a platform error.</summary>
internal sealed class FakePlatformAdapter : IPlatformAdapter, IContainerReader, IContainerManager, IMembershipGranter, IMembershipRevoker, IAccountRemover
{
    private int _pageSize = 2;

    public PlatformTarget Target { get; } = new("fake", "fake");

    public List<PlatformAccount> Accounts { get; } = [];

    public List<PlatformContainer> Containers { get; } = [];

    public List<ContainerMember> Members { get; } = [];

    public Exception? FailNext { get; set; }

    public int Creates { get; private set; }

    public Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken) => Task.FromResult(new AdapterHealth(true, "ok"));

    // Honours cancellation as a real HTTP call would, so a run's cancellation is observable.
    public Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<Page<PlatformAccount>>(cancellationToken) : PageOf(Accounts, pageToken);

    public Task<Page<PlatformContainer>> ListContainersAsync(string? pageToken, CancellationToken cancellationToken) => PageOf(Containers, pageToken);

    public Task<Page<ContainerMember>> ListMembersAsync(string containerId, string? pageToken, CancellationToken cancellationToken) =>
        PageOf([.. Members.Where(m => m.ContainerId == containerId)], pageToken);

    public Task<PlatformContainer> CreateContainerAsync(string name, CancellationToken cancellationToken)
    {
        Throw();
        Creates++;
        var container = new PlatformContainer($"proj_{Containers.Count + 1}", name, ContainerKind.Project, false, null);
        Containers.Add(container);
        return Task.FromResult(container);
    }

    public Task<ChangeResult> ArchiveContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangeResult> GrantMembershipAsync(string containerId, string accountId, string role, CancellationToken cancellationToken)
    {
        Throw();
        var existing = Members.FindIndex(m => m.ContainerId == containerId && m.AccountId == accountId);
        if (existing >= 0 && Members[existing].Role == role)
        {
            return Task.FromResult(ChangeResult.AlreadyInState);
        }

        if (existing >= 0)
        {
            Members.RemoveAt(existing);
        }

        Members.Add(new ContainerMember(containerId, accountId, null, null, role));
        return Task.FromResult(ChangeResult.Applied);
    }

    public Task<ChangeResult> RevokeMembershipAsync(string containerId, string accountId, CancellationToken cancellationToken)
    {
        Throw();
        return Task.FromResult(Members.RemoveAll(m => m.ContainerId == containerId && m.AccountId == accountId) > 0 ? ChangeResult.Applied : ChangeResult.AlreadyInState);
    }

    public Task<ChangeResult> RemoveAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        Throw();
        Members.RemoveAll(m => m.AccountId == accountId);
        return Task.FromResult(Accounts.RemoveAll(a => a.Id == accountId) > 0 ? ChangeResult.Applied : ChangeResult.AlreadyInState);
    }

    private void Throw()
    {
        if (FailNext is { } failure)
        {
            FailNext = null;
            throw failure;
        }
    }

    private Task<Page<T>> PageOf<T>(List<T> items, string? token)
    {
        var start = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        var page = items.Skip(start).Take(_pageSize).ToList();
        var next = start + _pageSize < items.Count ? (start + _pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new Page<T>(page, next));
    }
}
