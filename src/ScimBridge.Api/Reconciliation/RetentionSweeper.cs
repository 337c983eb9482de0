using Microsoft.Extensions.Options;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// Keeps propagation's bookkeeping from growing for ever: every <see cref="ReconciliationOptions.RetentionSweepInterval"/>
/// one replica (the holder of "reconcile.retention") deletes work items done longer ago than
/// <see cref="ReconciliationOptions.DoneWorkRetention"/> and runs older than <see cref="ReconciliationOptions.RunRetention"/>
/// (each target's newest run stays), and IdP check runs older than the same (each connection's newest stays). Dead
/// letters are kept until an operator requeues them.
/// </summary>
public sealed partial class RetentionSweeper(
    ILeaderElection election,
    IWorkQueueInspector work,
    IReconciliationStore runs,
    Core.IdentityProviders.IIdpCheckStore idpChecks,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep, when this replica wins the leadership; what it deleted, or null when another replica is sweeping.</summary>
    public async Task<(int Work, int Runs, int IdpChecks)?> SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var leadership = await election.TryAcquireAsync("reconcile.retention", cancellationToken);
            if (leadership is null)
            {
                return null;
            }

            var settings = options.Value;
            var now = time.GetUtcNow();
            var doneItems = await work.PruneDoneAsync(now - settings.DoneWorkRetention, cancellationToken);
            var oldRuns = await runs.PruneRunsAsync(now - settings.RunRetention, cancellationToken);
            var oldChecks = await idpChecks.PruneRunsAsync(now - settings.RunRetention, cancellationToken);
            LogSwept(logger, doneItems, oldRuns, oldChecks);
            return (doneItems, oldRuns, oldChecks);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed sweep is retried at the next tick; it must not stop the host.
            LogSweepFailed(logger, e);
            return null;
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Retention sweep deleted {WorkItems} done work items, {Runs} reconciliation runs and {IdpChecks} IdP check runs")]
    private static partial void LogSwept(ILogger logger, int workItems, int runs, int idpChecks);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Retention sweep failed; trying again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
