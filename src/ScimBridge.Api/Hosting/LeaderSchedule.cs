using ScimBridge.Core.Coordination;

namespace ScimBridge.Api.Hosting;

/// <summary>
/// The loop behind every periodic singleton (the scheduled full pass, activity ingestion, audit retention): at each
/// tick, the replica that wins the named leadership does the work, cancelled if it loses the leadership midway; the
/// others skip that tick. A failure is reported and the next tick tries again; only the host's stopping ends the loop.
/// </summary>
internal static class LeaderSchedule
{
    public static async Task RunAsync(
        ILeaderElection election,
        string leadershipName,
        TimeSpan interval,
        TimeProvider time,
        Func<CancellationToken, Task> work,
        Action<Exception> failed,
        CancellationToken stoppingToken,
        Func<bool>? due = null)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (due?.Invoke() == false)
                {
                    continue;
                }

                await using var leadership = await election.TryAcquireAsync(leadershipName, stoppingToken);
                if (leadership is null)
                {
                    continue;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                try
                {
                    await work(linked.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed(e);
                }
                catch (OperationCanceledException) when (leadership.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // Leadership lost midway (its database session broke): another replica takes over; this one keeps
                    // ticking. Letting the cancellation out would stop the hosted service, and with it the host.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
