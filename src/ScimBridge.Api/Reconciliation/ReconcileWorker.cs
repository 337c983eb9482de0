using System.Text.Json;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// Durable propagation: claims the identity changes SCIM writes queued in their own transactions (the outbox), runs
/// reconciliation for those identities, and settles each item: done, retried later (backoff, or the platform's
/// Retry-After when longer), or dead-lettered with its reason after <see cref="ReconciliationOptions.MaxAttempts"/> or
/// a permanent failure. Items are leased, so a replica that dies mid-run leaves them to be claimed again; every step
/// is idempotent, so running one twice changes nothing.
/// </summary>
public sealed partial class ReconcileWorker(
    IWorkQueue queue,
    IPolicyProvider policies,
    IdentitySource identities,
    Reconciler reconciler,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ReconcileWorker> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = policies.Current.Policy is not null && await RunOnceAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not kill propagation for the life of the process: log and poll again.
                LogWorkerError(logger, e);
            }

            if (!worked)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims one batch and settles it; false when nothing was due.</summary>
    public async Task<bool> RunOnceAsync(ReconciliationOptions settings, CancellationToken cancellationToken)
    {
        var items = await queue.ClaimAsync([IdentityChange.WorkKind], settings.BatchSize, settings.Lease, cancellationToken);
        if (items.Count == 0)
        {
            return false;
        }

        var changes = new List<(WorkItem Item, IdentityChange Change)>();
        foreach (var item in items)
        {
            if (JsonSerializer.Deserialize<IdentityChange>(item.PayloadJson, Json) is { } change)
            {
                changes.Add((item, change));
            }
            else
            {
                await queue.FailAsync(item, "unreadable payload", null, cancellationToken);
            }
        }

        var live = new List<SourcedIdentity>();
        var gone = new List<string>();
        foreach (var (_, change) in changes)
        {
            var identity = change.Deleted ? null : await identities.GetAsync(change.ConnectionId, change.UserId, cancellationToken);
            if (identity is null)
            {
                gone.AddRange(change.Emails);
            }
            else
            {
                live.Add(identity);
            }
        }

        IReadOnlyList<TargetRunReport> reports;
        try
        {
            reports = await reconciler.ReconcileAsync(new ReconcileRequest(null, new ReconcileScope(live, gone), DryRun: false, Trigger: ReconcileTriggers.Scim), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var (item, _) in changes)
            {
                await SettleAsync(item, settings, transient: true, e.Message, null, cancellationToken);
            }

            return true;
        }

        foreach (var (item, change) in changes)
        {
            var emails = change.Emails.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var mine = reports.SelectMany(r => r.Outcomes).Where(o => o.Step.Email is not null && emails.Contains(o.Step.Email)).ToList();
            var failedTargets = reports.Where(r => r.Status == RunStatus.Failed).ToList();
            var held = reports.Where(r => r.Status == RunStatus.Held && r.Planned.Any(s => s.Email is not null && emails.Contains(s.Email))).ToList();
            var transient = mine.FirstOrDefault(o => o.Result == StepResult.Transient);
            if (transient is not null || failedTargets.Count > 0)
            {
                var retryAfter = mine.Where(o => o.Result == StepResult.Transient).Select(o => o.RetryAfter ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();
                var reason = transient?.Detail ?? string.Join("; ", failedTargets.Select(r => $"{r.Target}: {r.Message}"));
                await SettleAsync(item, settings, transient: true, reason, retryAfter, cancellationToken);
            }
            else if (mine.FirstOrDefault(o => o.Result == StepResult.Failed) is { } failed)
            {
                await SettleAsync(item, settings, transient: false, $"{failed.Step.Target} {failed.Step.Kind}: {failed.Detail}", null, cancellationToken);
            }
            else if (held.Count > 0)
            {
                await SettleAsync(item, settings, transient: false, string.Join("; ", held.Select(r => $"{r.Target}: {r.Message}")), null, cancellationToken);
            }
            else
            {
                // Invited now, or still pending: look again soon, so what waits for acceptance follows it. Queued before
                // this item completes, so a crash in between repeats work rather than losing the recheck.
                var invited = mine.Any(o => o.Step.Kind == StepKind.InviteAccount && o.Result == StepResult.Applied && o.Detail == nameof(InviteOutcome.Invited));
                if (invited || reports.Any(r => r.Drift.Any(d => d.Kind == DriftKind.PendingInvite && emails.Contains(d.Subject))))
                {
                    await queue.EnqueueAsync(item.Kind, item.Key, item.PayloadJson, time.GetUtcNow() + settings.PendingInviteRecheck, cancellationToken);
                }

                await queue.CompleteAsync(item, cancellationToken);
            }
        }

        return true;
    }

    private async Task SettleAsync(WorkItem item, ReconciliationOptions settings, bool transient, string reason, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        if (!transient || item.Attempts >= settings.MaxAttempts)
        {
            LogDeadLettered(logger, item.Key, item.Attempts, reason);
            await queue.FailAsync(item, reason, null, cancellationToken);
            return;
        }

        // Exponential backoff from 1 s, capped at 5 min, or the platform's Retry-After when it asks for longer.
        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, item.Attempts - 1)));
        var delay = retryAfter is { } asked && asked > backoff ? asked : backoff;
        await queue.FailAsync(item, reason, time.GetUtcNow() + delay, cancellationToken);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Reconciliation worker failed; polling again")]
    private static partial void LogWorkerError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Identity change {Key} dead-lettered after {Attempts} attempts: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string key, int attempts, string reason);
}
