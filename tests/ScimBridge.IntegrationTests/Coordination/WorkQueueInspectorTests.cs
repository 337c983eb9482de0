using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Coordination;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>Dead letters are visible with their reason and can be put back, on the database the service really uses.</summary>
public sealed class WorkQueueInspectorTests
{
    [Fact]
    public async Task A_dead_lettered_item_is_listed_with_its_reason_and_can_be_requeued()
    {
        await using var server = await ScimServer.StartAsync();
        var queue = server.Services.GetRequiredService<IWorkQueue>();
        var inspector = server.Services.GetRequiredService<IWorkQueueInspector>();
        var kind = "test.inspect." + Guid.NewGuid().ToString("N")[..8];
        var id = await queue.EnqueueAsync(kind, "k1", "{}", null, CancellationToken.None);
        var claimed = Assert.Single(await queue.ClaimAsync([kind], 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await queue.FailAsync(claimed, "openai InviteAccount: payment_method_required", null, CancellationToken.None));

        var dead = Assert.Single(await inspector.ListAsync("failed", kind, 10, CancellationToken.None));
        Assert.Equal((id, "k1", "failed", 1, "openai InviteAccount: payment_method_required"), (dead.Id, dead.Key, dead.State, dead.Attempts, dead.LastError));
        Assert.Empty(await inspector.ListAsync("pending", kind, 10, CancellationToken.None));

        Assert.True(await inspector.RequeueAsync(id, CancellationToken.None));
        Assert.False(await inspector.RequeueAsync(id, CancellationToken.None)); // no longer dead
        var again = Assert.Single(await queue.ClaimAsync([kind], 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(("k1", 1), (again.Key, again.Attempts));
        Assert.NotEqual(id, again.Id);
        Assert.Empty(await inspector.ListAsync("failed", kind, 10, CancellationToken.None));
        Assert.False(await queue.CompleteAsync(claimed, CancellationToken.None)); // the old claim's fencing token is dead
        Assert.True(await queue.CompleteAsync(again, CancellationToken.None));
    }

    [Fact]
    public async Task Done_items_past_the_retention_are_pruned_while_pending_and_dead_lettered_ones_stay()
    {
        await using var server = await ScimServer.StartAsync();
        var queue = server.Services.GetRequiredService<IWorkQueue>();
        var inspector = server.Services.GetRequiredService<IWorkQueueInspector>();
        var kind = "test.prune." + Guid.NewGuid().ToString("N")[..8];
        foreach (var key in new[] { "done-1", "done-2", "dead", "waiting" })
        {
            await queue.EnqueueAsync(kind, key, "{}", key == "waiting" ? DateTimeOffset.UtcNow.AddHours(1) : null, CancellationToken.None);
        }

        foreach (var item in await queue.ClaimAsync([kind], 10, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            Assert.True(item.Key == "dead"
                ? await queue.FailAsync(item, "gone for good", null, CancellationToken.None)
                : await queue.CompleteAsync(item, CancellationToken.None));
        }

        Assert.Equal(0, await inspector.PruneDoneAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None)); // not old enough yet
        Assert.Equal(2, (await inspector.ListAsync("done", kind, 10, CancellationToken.None)).Count);

        Assert.Equal(2, await inspector.PruneDoneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        Assert.Empty(await inspector.ListAsync("done", kind, 10, CancellationToken.None));
        Assert.Equal("dead", Assert.Single(await inspector.ListAsync("failed", kind, 10, CancellationToken.None)).Key);
        Assert.Equal("waiting", Assert.Single(await inspector.ListAsync("pending", kind, 10, CancellationToken.None)).Key);
    }

    [Fact]
    public async Task The_retention_sweep_runs_on_the_one_replica_that_holds_its_leadership()
    {
        await using var server = await ScimServer.StartAsync();
        var sweeper = server.Services.GetRequiredService<ScimBridge.Api.Reconciliation.RetentionSweeper>();
        var election = server.Services.GetRequiredService<ILeaderElection>();

        await using (var held = await election.TryAcquireAsync("reconcile.retention", CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.Null(await sweeper.SweepAsync(CancellationToken.None)); // another replica is sweeping
        }

        Assert.NotNull(await sweeper.SweepAsync(CancellationToken.None));
    }
}
