using Microsoft.Extensions.Options;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Coordination;

namespace ScimBridge.Api.Reports;

/// <summary>
/// Every <see cref="ActivityOptions.IngestInterval"/>, one replica (the holder of the "activity.ingest" leadership)
/// ingests every target's new activity. Idempotent storage makes a second replica's overlapping run harmless, and the
/// leadership keeps the platforms from being read twice as often as configured.
/// </summary>
public sealed partial class ActivityIngestionScheduler(
    ILeaderElection election, ActivityIngestor ingestor, IOptions<ActivityOptions> options, TimeProvider time, ILogger<ActivityIngestionScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IngestInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await using var leadership = await election.TryAcquireAsync("activity.ingest", stoppingToken);
                if (leadership is null)
                {
                    continue;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                try
                {
                    var results = await ingestor.IngestAsync(null, linked.Token);
                    var stored = results.Sum(r => r.Stored);
                    LogIngested(logger, results.Count, stored);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4711, Level = LogLevel.Information, Message = "Scheduled activity ingestion: {Targets} targets, {Stored} new events")]
    private static partial void LogIngested(ILogger logger, int targets, int stored);

    [LoggerMessage(EventId = 4712, Level = LogLevel.Error, Message = "Scheduled activity ingestion failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
