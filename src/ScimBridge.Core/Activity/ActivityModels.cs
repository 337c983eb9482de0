using System.ComponentModel.DataAnnotations;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Activity;

/// <summary>One platform event as stored and reported (GET /admin/reports/activity); field names are the API contract.</summary>
public sealed record ActivityRecord(
    string Target,
    string Platform,
    string Id,
    DateTimeOffset Time,
    string Action,
    ActivityActor Actor,
    IdentityRef? Identity,
    string? IpAddress,
    string? UserAgent,
    IReadOnlyList<string> Flags);

/// <summary>Who the platform says acted: its own user id, an email, the API key used.</summary>
public sealed record ActivityActor(string? PlatformId, string? Email, string? ApiKeyId);

public sealed record ActivityPage(IReadOnlyList<ActivityRecord> Items, string? Next);

/// <summary>A listing of stored activity, newest first; <see cref="Cursor"/> is the previous page's <see cref="ActivityPage.Next"/>.</summary>
public sealed record ActivityFilter(string? Target, string? Flag, int Limit, string? Cursor);

public static class ActivityFlags
{
    /// <summary>The actor's IdP identity is deactivated (at ingest time): a leaver still acting.</summary>
    public const string Deprovisioned = "deprovisioned";

    /// <summary>An API key acted that ties to no IdP identity and no service account.</summary>
    public const string UnknownKey = "unknownKey";

    public static IReadOnlyList<string> All { get; } = [Deprovisioned, UnknownKey];
}

/// <summary>Stored, attributed platform activity and the per-target ingestion cursor.</summary>
public interface IActivityStore
{
    /// <summary>Where the last ingestion of <paramref name="target"/> got to; null before the first.</summary>
    Task<DateTimeOffset?> GetCursorAsync(string target, CancellationToken cancellationToken);

    Task SetCursorAsync(string target, DateTimeOffset cursor, CancellationToken cancellationToken);

    /// <summary>Stores the events not stored yet (by target and event id); returns how many were new.</summary>
    Task<int> AppendAsync(IReadOnlyList<ActivityRecord> records, DateTimeOffset ingestedAt, CancellationToken cancellationToken);

    Task<ActivityPage> ListAsync(ActivityFilter filter, CancellationToken cancellationToken);
}

/// <summary>Section <c>Activity</c>: scheduled ingestion of platform audit logs and usage.</summary>
public sealed class ActivityOptions
{
    public const string Section = "Activity";

    /// <summary>Off: activity is ingested only on demand (POST /admin/reports/activity/ingest).</summary>
    public bool Scheduled { get; set; } = true;

    /// <summary>How often the leader replica ingests every target's new activity.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan IngestInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back the first ingestion of a target reads.</summary>
    [Range(1, 365)]
    public int InitialLookbackDays { get; set; } = 30;

    /// <summary>
    /// Each ingestion re-reads this much before the cursor: platforms publish some events late (Cursor's daily usage
    /// is per UTC day and fills in during it), and storing is idempotent, so the overlap costs reads, never duplicates.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromDays(1);
}
