using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Tests.Reconciliation;

public sealed class StepExecutorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_grant_into_a_container_created_earlier_in_the_run_resolves_it_by_name_and_repeats_harmlessly()
    {
        var adapter = new FakePlatformAdapter();
        var create = new PlanStep(StepKind.CreateContainer, "fake", "declared") { ContainerName = "research" };
        var grant = new PlanStep(StepKind.GrantMembership, "fake", "rule") { AccountId = "user_1", ContainerName = "research", Role = "member" };

        Assert.Equal(StepResult.Applied, (await StepExecutor.ApplyAsync(adapter, create, None)).Result);
        Assert.Equal(StepResult.AlreadyInState, (await StepExecutor.ApplyAsync(adapter, create, None)).Result);
        Assert.Equal(1, adapter.Creates);
        Assert.Equal(StepResult.Applied, (await StepExecutor.ApplyAsync(adapter, grant, None)).Result);
        Assert.Equal(StepResult.AlreadyInState, (await StepExecutor.ApplyAsync(adapter, grant, None)).Result);
        Assert.Equal("member", Assert.Single(adapter.Members).Role);
    }

    [Fact]
    public async Task Platform_errors_become_outcomes_with_the_retry_delay_kept()
    {
        var adapter = new FakePlatformAdapter { FailNext = new PlatformTransientException(PlatformErrorKind.RateLimited, "slow down", TimeSpan.FromSeconds(60)) };
        var revoke = new PlanStep(StepKind.RevokeMembership, "fake", "leaver") { AccountId = "user_1", ContainerId = "proj_1" };

        var transient = await StepExecutor.ApplyAsync(adapter, revoke, None);
        Assert.Equal((StepResult.Transient, TimeSpan.FromSeconds(60)), (transient.Result, transient.RetryAfter));

        adapter.FailNext = new PlatformPermanentException(PlatformErrorKind.NotAllowed, "keep one owner");
        var failed = await StepExecutor.ApplyAsync(adapter, revoke, None);
        Assert.Equal((StepResult.Failed, "keep one owner"), (failed.Result, failed.Detail));
    }

    [Fact]
    public async Task A_step_the_adapter_cannot_do_is_unsupported_not_an_exception()
    {
        var outcome = await StepExecutor.ApplyAsync(new FakePlatformAdapter(), new PlanStep(StepKind.InviteAccount, "fake", "joiner") { Email = "a@example.com" }, None);

        Assert.Equal(StepResult.Unsupported, outcome.Result);
    }

    [Fact]
    public async Task The_snapshot_reads_every_page_and_every_container_membership()
    {
        var adapter = new FakePlatformAdapter();
        for (var i = 0; i < 5; i++)
        {
            adapter.Accounts.Add(new PlatformAccount($"user_{i}", $"u{i}@example.com", null, "reader", AccountStatus.Active, null));
            adapter.Containers.Add(new PlatformContainer($"proj_{i}", $"p{i}", ContainerKind.Project, Archived: i == 4, null));
            adapter.Members.Add(new ContainerMember($"proj_{i}", $"user_{i}", null, null, "member"));
        }

        var snapshot = await SnapshotReader.ReadAsync(adapter, None);

        Assert.Equal(5, snapshot.Accounts.Count);
        Assert.Equal(5, snapshot.Containers.Count);
        Assert.Equal(4, snapshot.Members.Count); // archived containers' members are not read
        Assert.True(snapshot.Capabilities.HasFlag(PlatformCapabilities.ManageContainers));
        Assert.Empty(snapshot.Credentials);
    }
}
