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
}
