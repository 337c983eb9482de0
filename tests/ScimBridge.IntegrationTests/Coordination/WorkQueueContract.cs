using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ScimBridge.Persistence;
using ScimBridge.Persistence.Coordination;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>
/// What every work queue must do, run against SQLite and PostgreSQL. "Replica A" and "replica B" reach the same data
/// through separate connection pools on PostgreSQL; on SQLite (one process) they are the same database.
/// </summary>
public abstract class WorkQueueContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // A kind per test: the tests of a class share one database and must not claim each other's items.
    private readonly string _kind = "test-" + Guid.NewGuid().ToString("N")[..12];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private protected abstract IStoreDatabase ReplicaA { get; }

    private protected abstract IStoreDatabase ReplicaB { get; }

    private protected abstract WorkQueue Queue(IStoreDatabase database, TimeProvider clock);

    [Fact]
    public async Task ClaimAsync_ConcurrentWorkersOnTwoReplicas_ProcessEachItemExactlyOnce()
    {
        const int items = 500;
        var setup = Queue(ReplicaA, TimeProvider.System);
        for (var i = 0; i < items; i++)
        {
            await setup.EnqueueAsync(_kind, $"k{i}", $$"""{"n":{{i}}}""", null, CancellationToken.None);
        }

        var processed = new ConcurrentDictionary<long, int>();
        var lostLeases = 0;
        using var start = new Barrier(8);
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            // Every worker its own queue (its own lease owner), half on each replica.
            var queue = Queue(w % 2 == 0 ? ReplicaA : ReplicaB, TimeProvider.System);
            start.SignalAndWait();
            while (true)
            {
                var claimed = await queue.ClaimAsync([_kind], 7, TimeSpan.FromMinutes(5), CancellationToken.None);
                if (claimed.Count == 0)
                {
                    return;
                }

                foreach (var item in claimed)
                {
                    processed.AddOrUpdate(item.Id, 1, (_, n) => n + 1);
                    if (!await queue.CompleteAsync(item, CancellationToken.None))
                    {
                        Interlocked.Increment(ref lostLeases);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(items, processed.Count);
        Assert.All(processed, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(0, lostLeases);
        Assert.Equal(items, await CountAsync("state = 'done'"));
    }

    [Fact]
    public async Task ClaimAsync_ItemLeasedElsewhere_IsNotClaimedUntilTheLeaseExpires()
    {
        var a = Queue(ReplicaA, _clock);
        var b = Queue(ReplicaB, _clock);
        var id = await a.EnqueueAsync(_kind, "user-1", """{"user":"1"}""", null, CancellationToken.None);

        var first = Assert.Single(await a.ClaimAsync([_kind], 10, Lease, CancellationToken.None));
        Assert.Equal((id, 1, a.Owner, _clock.GetUtcNow() + Lease), (first.Id, first.Attempts, first.LeaseOwner, first.LeaseExpires));
        Assert.Empty(await b.ClaimAsync([_kind], 10, Lease, CancellationToken.None));

        // A's worker died: once its lease runs out the item is B's.
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await b.ClaimAsync([_kind], 10, Lease, CancellationToken.None));
        Assert.Equal((id, 2, b.Owner), (second.Id, second.Attempts, second.LeaseOwner));

        // A turns out to be alive after all: its lease is gone, so it cannot complete under B's.
        Assert.False(await a.CompleteAsync(first, CancellationToken.None));
        Assert.True(await b.CompleteAsync(second, CancellationToken.None));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await a.ClaimAsync([_kind], 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimAsync_ReclaimBySameOwner_FencesTheEarlierClaim()
    {
        var a = Queue(ReplicaA, _clock);
        await a.EnqueueAsync(_kind, "k", "{}", null, CancellationToken.None);
        var first = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));

        Assert.False(await a.FailAsync(first, "stale", _clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await a.CompleteAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task RenewAsync_BeforeExpiry_KeepsTheItemFromOtherClaimers()
    {
        var a = Queue(ReplicaA, _clock);
        var b = Queue(ReplicaB, _clock);
        await a.EnqueueAsync(_kind, "slow", "{}", null, CancellationToken.None);
        var item = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(20));
        var renewed = await a.RenewAsync(item, Lease, CancellationToken.None);
        Assert.NotNull(renewed);
        Assert.Equal(_clock.GetUtcNow() + Lease, renewed.LeaseExpires);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(await b.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        Assert.True(await a.CompleteAsync(renewed, CancellationToken.None));
    }

    [Fact]
    public async Task FailAsync_WithRetryAt_ReleasesTheItemAtThatTime()
    {
        var a = Queue(ReplicaA, _clock);
        var b = Queue(ReplicaB, _clock);
        var id = await a.EnqueueAsync(_kind, "flaky", "{}", null, CancellationToken.None);
        var item = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));

        Assert.True(await a.FailAsync(item, "platform answered 503", _clock.GetUtcNow() + TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Empty(await b.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await b.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var retry = Assert.Single(await b.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        Assert.Equal((id, 2, "platform answered 503"), (retry.Id, retry.Attempts, retry.LastError));
        Assert.True(await b.CompleteAsync(retry, CancellationToken.None));
    }

    [Fact]
    public async Task FailAsync_WithoutRetry_GivesUpOnTheItem()
    {
        var a = Queue(ReplicaA, _clock);
        await a.EnqueueAsync(_kind, "poison", "{}", null, CancellationToken.None);
        var item = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));

        Assert.True(await a.FailAsync(item, "invalid payload", null, CancellationToken.None));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));
        Assert.Equal(1, await CountAsync("state = 'failed' AND last_error = 'invalid payload'"));
        Assert.False(await a.CompleteAsync(item, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimAsync_TakesDueItemsOfTheGivenKindsOldestFirst_UpToMax()
    {
        var a = Queue(ReplicaA, _clock);
        var longLease = TimeSpan.FromHours(1);  // outlasts the 5 minutes below: what is claimed stays claimed
        var other = _kind + "-other";
        var first = await a.EnqueueAsync(_kind, "1", "{}", null, CancellationToken.None);
        await a.EnqueueAsync(_kind, "later", "{}", _clock.GetUtcNow() + TimeSpan.FromMinutes(5), CancellationToken.None);
        var otherKind = await a.EnqueueAsync(other, "2", "{}", null, CancellationToken.None);
        var third = await a.EnqueueAsync(_kind, "3", "{}", null, CancellationToken.None);
        var fourth = await a.EnqueueAsync(_kind, "4", "{}", null, CancellationToken.None);

        Assert.Equal([first, third], (await a.ClaimAsync([_kind], 2, longLease, CancellationToken.None)).Select(i => i.Id));
        Assert.Equal([otherKind, fourth], (await a.ClaimAsync([_kind, other], 10, longLease, CancellationToken.None)).Select(i => i.Id));
        Assert.Empty(await a.ClaimAsync([_kind], 10, longLease, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("later", Assert.Single(await a.ClaimAsync([_kind], 10, longLease, CancellationToken.None)).Key);
    }

    [Fact]
    public async Task EnqueueAsync_PayloadAndKey_RoundTrip()
    {
        var a = Queue(ReplicaA, _clock);
        await a.EnqueueAsync(_kind, "binding/42", """{"binding":"42","users":["a","b"],"dryRun":false}""", null, CancellationToken.None);

        var item = Assert.Single(await a.ClaimAsync([_kind], 1, Lease, CancellationToken.None));

        // jsonb normalises whitespace and key order; compare the document, not the text.
        using var payload = JsonDocument.Parse(item.PayloadJson);
        Assert.Equal("42", payload.RootElement.GetProperty("binding").GetString());
        Assert.Equal(2, payload.RootElement.GetProperty("users").GetArrayLength());
        Assert.False(payload.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(("binding/42", _kind, (string?)null), (item.Key, item.Kind, item.LastError));
    }

    [Fact]
    public async Task EnqueueAsync_MalformedPayload_IsRejected()
    {
        var a = Queue(ReplicaA, _clock);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => a.EnqueueAsync(_kind, "k", "{not json", null, CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAsync_OnTheStoreTransaction_ExistsOnlyIfThatTransactionCommits()
    {
        // The outbox pattern: a store change and the work it triggers commit together or not at all.
        var a = Queue(ReplicaA, _clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReplicaA.WriteAsync<long>(
            async (connection, transaction) =>
            {
                await a.EnqueueAsync(connection, transaction, _kind, "rolled-back", "{}", null, CancellationToken.None);
                throw new InvalidOperationException("the store change failed");
            },
            CancellationToken.None));
        await ReplicaA.WriteAsync(
            (connection, transaction) => a.EnqueueAsync(connection, transaction, _kind, "committed", "{}", null, CancellationToken.None),
            CancellationToken.None);

        Assert.Equal("committed", Assert.Single(await a.ClaimAsync([_kind], 10, Lease, CancellationToken.None)).Key);
    }

    private Task<long> CountAsync(string condition) =>
        ReplicaA.ScalarAsync(
            $"SELECT COUNT(*) FROM work_items WHERE kind = @kind AND {condition}", [new("@kind", _kind)], CancellationToken.None);
}
