using Microsoft.Extensions.Options;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// The scheduled full pass: every <see cref="ReconciliationOptions.FullPassInterval"/>, one replica (the holder of the
/// "reconcile.full-pass" leadership) reconciles every identity against every target. Level-triggered: whatever a
/// missed or failed SCIM change left behind, and whatever changed on a platform by hand, is found here.
/// </summary>
public sealed partial class FullPassScheduler(
    ILeaderElection election,
    IPolicyProvider policies,
    Reconciler reconciler,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<FullPassScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LeaderSchedule.RunAsync(
            election,
            "reconcile.full-pass",
            options.Value.FullPassInterval,
            time,
            async ct =>
            {
                var reports = await reconciler.ReconcileAsync(new ReconcileRequest(null, ReconcileScope.Full, DryRun: false, Trigger: ReconcileTriggers.Schedule), ct);
                var drift = reports.Sum(r => r.Drift.Count);
                LogPass(logger, reports.Count, drift);
            },
            e => LogPassFailed(logger, e),
            stoppingToken,
            due: () => policies.Current.Policy is not null);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Scheduled full reconciliation: {Targets} targets, {Drift} drift items")]
    private static partial void LogPass(ILogger logger, int targets, int drift);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Scheduled full reconciliation failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
