using System.Text.Json.Nodes;
using ScimBridge.Core.Audit;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Tests.Reconciliation;

/// <summary>
/// A run that loses its target's lease mid-run (on PostgreSQL: the advisory lock's session broke) must stop and report
/// it, not take the worker down with an unexpected cancellation; a shutdown still cancels as before.
/// </summary>
public sealed class ReconcilerLeaseTests
{
    private const string PolicyYaml = """
        targets:
          fake: {mode: enforce}
        rules:
          - name: everyone
            match: {everyone: true}
            grant: {fake: {containers: {research: member}}}
        """;

    private readonly FakePlatformAdapter _platform = new();
    private readonly LosingElection _election = new();
    private readonly Audit _audit = new();

    private Reconciler Reconciler() => new(
        new FixedPolicy(PolicyParser.Parse(PolicyYaml).Policy!), new Registry(_platform), new IdentitySource(null!, null!), new Runs(), _election, _audit, TimeProvider.System);

    private static ReconcileRequest Scoped() => new(
        null,
        new ReconcileScope([new SourcedIdentity(Guid.NewGuid(), new PolicyIdentity("u1", "entra", "ada@example.com", true, new JsonObject(), []), ["ada@example.com"])], []),
        DryRun: false,
        ReconcileTriggers.Scim);

    [Fact]
    public async Task A_run_whose_lease_is_lost_stops_and_reports_it_instead_of_throwing()
    {
        _platform.Accounts.Add(new PlatformAccount("acct-1", "ada@example.com", "Ada", "member", AccountStatus.Active, null));
        _election.LoseAtOnce = true;

        var report = Assert.Single(await Reconciler().ReconcileAsync(Scoped(), CancellationToken.None));

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.Contains("lost the target's lease", report.Message, StringComparison.Ordinal);
        Assert.Empty(_platform.Members); // nothing applied after the loss
        Assert.Contains(_audit.Events, e => e.Kind == AuditKinds.ReconcileRun && e.Outcome == "failed");
    }

    [Fact]
    public async Task With_the_lease_held_the_run_applies_and_a_shutdown_still_cancels()
    {
        _platform.Accounts.Add(new PlatformAccount("acct-1", "ada@example.com", "Ada", "member", AccountStatus.Active, null));
        _platform.Containers.Add(new PlatformContainer("proj_1", "research", ContainerKind.Project, false, null));

        var report = Assert.Single(await Reconciler().ReconcileAsync(Scoped(), CancellationToken.None));
        Assert.Equal(RunStatus.Applied, report.Status);
        Assert.Contains(_platform.Members, m => m.AccountId == "acct-1" && m.Role == "member");
        Assert.Equal(1, _election.Acquired);

        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Reconciler().ReconcileAsync(Scoped(), stopping.Token));
    }

    private sealed class LosingElection : ILeaderElection
    {
        public bool LoseAtOnce { get; set; }

        public int Acquired { get; private set; }

        public Task<ILeadership?> TryAcquireAsync(string name, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Acquired++;
            return Task.FromResult<ILeadership?>(new Lease(name, LoseAtOnce ? new CancellationToken(canceled: true) : CancellationToken.None));
        }

        private sealed class Lease(string name, CancellationToken lost) : ILeadership
        {
            public string Name => name;

            public CancellationToken Lost => lost;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class FixedPolicy(MappingPolicy policy) : IPolicyProvider
    {
        public PolicySnapshot Current { get; } = new(policy, [], "test", DateTimeOffset.UnixEpoch);
    }

    private sealed class Registry(IPlatformAdapter adapter) : IPlatformRegistry
    {
        public IReadOnlyList<IPlatformAdapter> Adapters => [adapter];

        public IPlatformAdapter? Find(string targetName) => targetName == adapter.Target.Name ? adapter : null;
    }

    private sealed class Audit : IAuditLog
    {
        public List<AuditEvent> Events { get; } = [];

        public Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
        {
            Events.AddRange(events);
            return Task.CompletedTask;
        }

        public void Record(AuditEvent auditEvent) => Events.Add(auditEvent);
    }

    private sealed class Runs : IReconciliationStore
    {
        public Task<IReadOnlyDictionary<string, ManagedIdentity>> GetManagedAsync(string target, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, ManagedIdentity>>(new Dictionary<string, ManagedIdentity>());

        public Task UpdateManagedAsync(string target, IReadOnlyCollection<ManagedIdentity> manage, IReadOnlyCollection<string> forgetEmails, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public Task SaveRunAsync(ReconcileRunRecord run, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ReconcileRunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult<ReconcileRunRecord?>(null);

        public Task<int> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string target, IReadOnlyCollection<string> triggers, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ReconcileRunRecord>>([]);

        public Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string? target, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ReconcileRunRecord>>([]);
    }
}
