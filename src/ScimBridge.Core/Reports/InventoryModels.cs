namespace ScimBridge.Core.Reports;

/// <summary>The non-human identity inventory (GET /admin/reports/inventory); field names are the API contract.</summary>
public sealed record InventoryReportResult(
    DateTimeOffset Generated,
    InventoryThresholds Thresholds,
    InventoryCounts Counts,
    IReadOnlyList<InventoryItem> Items)
{
    /// <summary>Targets that could not be read (the rest of the report stands); empty when all were read.</summary>
    public IReadOnlyList<TargetReadError> Errors { get; init; } = [];
}

public sealed record InventoryThresholds(int StaleDays, int UnrotatedDays);

public sealed record InventoryCounts(int Total, int Orphaned, int Stale, int Unrotated, int Shadow);

/// <summary>One API key, service account or (shadow) platform user. Never carries a secret.</summary>
public sealed record InventoryItem(
    string Target,
    string Platform,
    string Kind,
    string Id,
    string? Name,
    string? Container,
    string Status,
    InventoryOwner? Owner,
    DateTimeOffset? Created,
    DateTimeOffset? LastUsed,
    int? AgeDays,
    IReadOnlyList<string> Flags);

public sealed record InventoryOwner(string? PlatformId, string? Email, IdentityRef? Identity);

/// <summary>An IdP identity as reports name it: its connection, its userName, and whether it is active.</summary>
public sealed record IdentityRef(string Connection, string UserName, bool Active);

public sealed record TargetReadError(string Target, string Message);

/// <summary>The inventory's item kinds and flags, as they appear on the wire.</summary>
public static class InventoryTerms
{
    public const string ApiKey = "apiKey";
    public const string ServiceAccount = "serviceAccount";
    public const string User = "user";

    public const string Orphaned = "orphaned";
    public const string Stale = "stale";
    public const string Unrotated = "unrotated";
    public const string Shadow = "shadow";

    public static IReadOnlyList<string> Flags { get; } = [Orphaned, Stale, Unrotated, Shadow];
}
