using Microsoft.Extensions.Time.Testing;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Coordination;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>
/// The loop behind the periodic singletons: work runs on ticks where this replica wins the leadership; a failure, or
/// losing the leadership midway, does not end the loop (letting either out would stop the host); stopping does.
/// </summary>
public sealed class LeaderScheduleTests
{
    [Fact]
    public async Task A_failure_or_a_lost_leadership_midway_is_survived_and_the_next_tick_runs_again()
    {
        var time = new FakeTimeProvider();
        var election = new ScriptedElection();
        var ticks = 0;
        var failures = new List<Exception>();
        using var stopping = new CancellationTokenSource();
        var loop = LeaderSchedule.RunAsync(
            election,
            "test.job",
            TimeSpan.FromMinutes(1),
            time,
            async ct =>
            {
                ticks++;
                switch (ticks)
                {
                    case 1:
                        throw new InvalidOperationException("boom");
                    case 2:
                        election.LoseCurrent();
                        await Task.Delay(Timeout.Infinite, ct); // cancelled by the lost leadership
                        break;
                }
            },
            failures.Add,
            stopping.Token);

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => ticks > i && election.Released == i + 1);
        }

        Assert.Equal(3, ticks);
        Assert.Equal("boom", Assert.Single(failures).Message);
        Assert.False(loop.IsCompleted);

        await stopping.CancelAsync();
        await loop; // ends quietly on shutdown
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class ScriptedElection : ILeaderElection
    {
        private CancellationTokenSource? _current;

        public int Released { get; private set; }

        public void LoseCurrent() => _current!.Cancel();

        public Task<ILeadership?> TryAcquireAsync(string name, CancellationToken cancellationToken)
        {
            _current = new CancellationTokenSource();
            return Task.FromResult<ILeadership?>(new Lease(this, name, _current.Token));
        }

        private sealed class Lease(ScriptedElection election, string name, CancellationToken lost) : ILeadership
        {
            public string Name => name;

            public CancellationToken Lost => lost;

            public ValueTask DisposeAsync()
            {
                election.Released++;
                return ValueTask.CompletedTask;
            }
        }
    }
}
