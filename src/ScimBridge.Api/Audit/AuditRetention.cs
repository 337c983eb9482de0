using Microsoft.Extensions.Options;
using ScimBridge.Core.Audit;
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.RetentionDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.PruneInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await using var leadership = await election.TryAcquireAsync("audit.retention", stoppingToken);
                if (leadership is null)
                {
                    continue;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                try
                {
                    await PruneAsync(settings.RetentionDays, linked.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.AuditPruneFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
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
