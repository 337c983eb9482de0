namespace ScimBridge.Core.Activity;

/// <summary>GET /admin/reports/activity: stored activity, newest first, by target and flag, a page at a time.</summary>
public sealed class ActivityReport(IActivityStore store, Platforms.IPlatformRegistry platforms)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public Task<ActivityPage> ListAsync(string? target, string? flag, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (flag is not null && !ActivityFlags.All.Contains(flag, StringComparer.Ordinal))
        {
            throw new ArgumentException($"flag is one of {string.Join(", ", ActivityFlags.All)}; got '{flag}'.", nameof(flag));
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit is 1 to {MaxLimit}.", nameof(limit));
        }

        if (target is not null && platforms.Find(target) is null)
        {
            throw new NotFoundException($"No platform target '{target}'.");
        }

        return store.ListAsync(new ActivityFilter(target, flag, limit ?? DefaultLimit, cursor), cancellationToken);
    }
}
