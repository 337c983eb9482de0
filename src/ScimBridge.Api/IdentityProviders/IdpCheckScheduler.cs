using Mediator;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Api.IdentityProviders;

/// <summary>
/// Runs each connection's check every <see cref="IdpCheckConnection.Schedule"/>, on one replica at a time (the holder of
/// the "idp-check.{connection}" leadership), as <see cref="Reconciliation.FullPassScheduler"/> does for the full pass.
/// The first check comes one interval after start.
/// </summary>
public sealed partial class IdpCheckScheduler(
    IIdpCheckRegistry registry,
    ILeaderElection election,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<IdpCheckScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduled = registry.Connections.Where(c => c.Schedule is not null).ToList();
        if (scheduled.Count == 0)
        {
            return;
        }

        var due = scheduled.ToDictionary(c => c.Name, c => time.GetUtcNow() + c.Schedule!.Value, StringComparer.OrdinalIgnoreCase);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = scheduled.MinBy(c => due[c.Name])!;
                var wait = due[next.Name] - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                due[next.Name] = time.GetUtcNow() + next.Schedule!.Value;
                await using var leadership = await election.TryAcquireAsync($"idp-check.{next.Name}", stoppingToken);
                if (leadership is null)
                {
                    continue;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunIdpCheck(next.Name, "schedule"), linked.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCheckFailed(logger, next.Name, e);
                }
                catch (OperationCanceledException) when (leadership.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // Leadership lost midway: another replica checks this connection next; this one keeps scheduling.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4611, Level = LogLevel.Error, Message = "Scheduled IdP check of {Connection} failed")]
    private static partial void LogCheckFailed(ILogger logger, string connection, Exception exception);
}
