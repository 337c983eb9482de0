using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ScimBridge.Core.Coordination;
using ScimBridge.Persistence.Coordination;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>The SQLite deployment's election: one process, a semaphore per name.</summary>
public sealed class InProcessLeaderElectionTests
{
    private readonly InProcessLeaderElection _election = new();

    [Fact]
    public async Task TryAcquireAsync_WhileHeld_ReturnsNull_AndAfterDispose_Succeeds()
    {
        var leader = await _election.TryAcquireAsync("scheduler", CancellationToken.None);
        Assert.NotNull(leader);
        Assert.Null(await _election.TryAcquireAsync("scheduler", CancellationToken.None));
        Assert.NotNull(await _election.TryAcquireAsync("other", CancellationToken.None));

        await leader.DisposeAsync();
        await leader.DisposeAsync();
        var next = await _election.TryAcquireAsync("scheduler", CancellationToken.None);

        Assert.NotNull(next);
        Assert.False(next.Lost.IsCancellationRequested);

        // The double dispose above released once: the new leader still holds it.
        Assert.Null(await _election.TryAcquireAsync("scheduler", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_Concurrent_ElectsExactlyOne()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => _election.TryAcquireAsync("race", CancellationToken.None))));

        Assert.Single(attempts, leadership => leadership is not null);
    }
}

/// <summary>Advisory-lock election between two replicas (two connection pools) of one PostgreSQL database.</summary>
[Trait("Category", "PostgresOnly")]
public sealed class PostgresLeaderElectionTests(PostgresCoordinationFixture postgres) : IClassFixture<PostgresCoordinationFixture>
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _name = "scheduler-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task TryAcquireAsync_TwoReplicasAtOnce_ElectsExactlyOne()
    {
        var a = Elector(postgres.ReplicaA);
        var b = Elector(postgres.ReplicaB);

        var both = await Task.WhenAll(
            Task.Run(() => a.TryAcquireAsync(_name, CancellationToken.None)),
            Task.Run(() => b.TryAcquireAsync(_name, CancellationToken.None)));

        var leader = Assert.Single(both, leadership => leadership is not null)!;
        Assert.Null(await a.TryAcquireAsync(_name, CancellationToken.None));
        Assert.Null(await b.TryAcquireAsync(_name, CancellationToken.None));
        await leader.DisposeAsync();
    }

    [Fact]
    public async Task Leadership_Held_IsNotLostByItsChecks()
    {
        await using var leader = await Elector(postgres.ReplicaA).TryAcquireAsync(_name, CancellationToken.None);
        Assert.NotNull(leader);

        // Ten checks of pg_locks: a wrong reading of the lock's key would report it lost.
        await Task.Delay(CheckInterval * 10);

        Assert.False(leader.Lost.IsCancellationRequested);
        Assert.Equal(1, await HoldersAsync());
    }

    [Fact]
    public async Task DisposeAsync_HandsLeadershipOverAtOnce()
    {
        var a = Elector(postgres.ReplicaA);
        var b = Elector(postgres.ReplicaB);
        var leader = await a.TryAcquireAsync(_name, CancellationToken.None);
        Assert.NotNull(leader);

        await leader.DisposeAsync();

        await using var next = await b.TryAcquireAsync(_name, CancellationToken.None);
        Assert.NotNull(next);
        Assert.False(leader.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Leadership_ConnectionTerminated_FiresLost_AndAnotherReplicaTakesOver()
    {
        var a = Elector(postgres.ReplicaA);
        var b = Elector(postgres.ReplicaB);
        var leader = await a.TryAcquireAsync(_name, CancellationToken.None);
        Assert.NotNull(leader);
        var lost = new TaskCompletionSource();
        using var registration = leader.Lost.Register(() => lost.TrySetResult());

        // What a killed pod looks like to PostgreSQL: the session holding the lock ends.
        await using (var observer = await postgres.OpenObserverAsync())
        {
            var key = PostgresLeaderElection.LockKey(_name);
            await using var terminate = new NpgsqlCommand(
                """
                SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND objsubid = 1 AND classid::bigint = @high AND objid::bigint = @low
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """,
                observer);
            terminate.Parameters.AddWithValue("high", key >> 32);
            terminate.Parameters.AddWithValue("low", key & 0xFFFFFFFFL);
            Assert.Equal(1L, await terminate.ExecuteScalarAsync());
        }

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        ILeadership? next = null;
        for (var attempt = 0; next is null && attempt < 100; attempt++)
        {
            next = await b.TryAcquireAsync(_name, CancellationToken.None);
            if (next is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(next);
        Assert.False(next.Lost.IsCancellationRequested);

        // The old leader's dispose meets a dead connection; it must neither throw nor touch the new leader's lock.
        await leader.DisposeAsync();
        Assert.Null(await a.TryAcquireAsync(_name, CancellationToken.None));
        await next.DisposeAsync();
    }

    private static PostgresLeaderElection Elector(NpgsqlDataSource dataSource) =>
        new(
            dataSource,
            TimeProvider.System,
            Options.Create(new CoordinationOptions { LeaderCheckInterval = CheckInterval, LeaderCheckTimeout = TimeSpan.FromSeconds(5) }),
            NullLogger<PostgresLeaderElection>.Instance);

    private async Task<long> HoldersAsync()
    {
        await using var observer = await postgres.OpenObserverAsync();
        var key = PostgresLeaderElection.LockKey(_name);
        await using var count = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = @high AND objid::bigint = @low",
            observer);
        count.Parameters.AddWithValue("high", key >> 32);
        count.Parameters.AddWithValue("low", key & 0xFFFFFFFFL);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
