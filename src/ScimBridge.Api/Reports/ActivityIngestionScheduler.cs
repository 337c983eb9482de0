using Microsoft.Extensions.Options;
using ScimBridge.Core.Activity;
using ScimBridge.Api.Hosting;
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
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LeaderSchedule.RunAsync(
            election,
            "activity.ingest",
            options.Value.IngestInterval,
            time,
            async ct =>
            {
                var results = await ingestor.IngestAsync(null, ct);
                var stored = results.Sum(r => r.Stored);
                LogIngested(logger, results.Count, stored);
            },
            e => LogFailed(logger, e),
            stoppingToken);

    [LoggerMessage(EventId = 4711, Level = LogLevel.Information, Message = "Scheduled activity ingestion: {Targets} targets, {Stored} new events")]
    private static partial void LogIngested(ILogger logger, int targets, int stored);

    [LoggerMessage(EventId = 4712, Level = LogLevel.Error, Message = "Scheduled activity ingestion failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
