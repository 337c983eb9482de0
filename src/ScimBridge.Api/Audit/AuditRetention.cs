using Microsoft.Extensions.Options;
using ScimBridge.Core.Audit;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Coordination;

namespace ScimBridge.Api.Audit;

/// <summary>
/// Prunes events older than Audit:RetentionDays every Audit:PruneInterval, on one replica at a time (the holder of the
/// "audit.retention" leadership). The store deletes a prefix of the chain and moves its base to the last deleted event,
/// so what remains verifies; the prune itself is then recorded as an audit.pruned event.
/// </summary>
public sealed class AuditRetention(
    ILeaderElection election, IAuditStore store, IAuditLog audit, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetention> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        return settings.RetentionDays == 0
            ? Task.CompletedTask
            : LeaderSchedule.RunAsync(
                election, "audit.retention", settings.PruneInterval, time, ct => PruneAsync(settings.RetentionDays, ct), logger.AuditPruneFailed, stoppingToken);
    }

    internal async Task PruneAsync(int retentionDays, CancellationToken cancellationToken)
    {
        var (deleted, baseSequence) = await store.PruneAsync(time.GetUtcNow().AddDays(-retentionDays), cancellationToken);
        if (deleted > 0)
        {
            logger.AuditPruned(deleted, retentionDays, baseSequence);
            await audit.AppendAsync([AuditEvents.Pruned(deleted, baseSequence, retentionDays)], cancellationToken);
        }
    }
}
