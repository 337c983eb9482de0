namespace ScimBridge.Core.Audit;

/// <summary>
/// Filters of an audit query; every one is optional and they combine with AND. <see cref="Resource"/> is a resource
/// id, a resource type, or "Type/id". Paging is by keyset: <see cref="Before"/> is the cursor (a sequence number).
/// </summary>
public sealed record AuditQuery
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Kind { get; init; }

    public string? Connection { get; init; }

    public string? Target { get; init; }

    public string? Actor { get; init; }

    public string? Outcome { get; init; }

    public string? Resource { get; init; }

    /// <summary>Only events with a smaller sequence number (the cursor of the next page, newest first).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 100;

    public const int MaxLimit = 1000;

    /// <summary>What is wrong with these filters, or nothing; callers turn each line into a 400.</summary>
    public IEnumerable<string> Problems()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            yield return $"limit must be between 1 and {MaxLimit}.";
        }

        if (From is { } from && To is { } to && from > to)
        {
            yield return "from must not be after to.";
        }

        if (Kind is not null && !AuditKinds.All.Contains(Kind))
        {
            yield return $"kind must be one of {string.Join(", ", AuditKinds.All)}.";
        }

        if (Before is <= 0)
        {
            yield return "cursor must be a positive sequence number.";
        }
    }
}

/// <summary>One page of events, newest first; <see cref="NextCursor"/> fetches the next (older) page, null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Events, long? NextCursor);
