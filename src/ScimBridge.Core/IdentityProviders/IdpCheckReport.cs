using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>What happened to one repair step: planned (not applied), applied, or failed with the reason.</summary>
public sealed record RepairOutcome(RepairAction Action, IdpFinding Finding, string Result, string? Error = null);

/// <summary>
/// One check of one connection: how the IdP was read, what disagrees, and what the repair did. Status is
/// <c>consistent</c> (no disagreement), <c>drift</c> (some), or <c>failed</c> (the IdP or the store could not be read:
/// nothing was compared, nothing repaired, the cursor was not advanced).
/// </summary>
public sealed record IdpCheckReport(
    Guid Id,
    string Connection,
    string Trigger,
    string Status,
    RepairMode Repair,
    bool RepairApplied,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    IdpReadStats? Read,
    int IdpUsers,
    int IdpGroups,
    int ScimUsers,
    int ScimGroups,
    IReadOnlyList<IdpFinding> Findings,
    IReadOnlyList<RepairOutcome> Repairs,
    IReadOnlyList<RepairStep> Held,
    string? HeldReason,
    string? Error)
{
    public const string Consistent = "consistent";
    public const string Drift = "drift";
    public const string Failed = "failed";

    /// <summary>camelCase, enums as their names: the shape of /admin/idp-checks and the stored report.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Counts per finding kind, for logs, the audit event and the run list.</summary>
    public IReadOnlyDictionary<string, int> Counts() =>
        Findings.GroupBy(f => f.Kind).ToDictionary(g => g.Key.ToString(), g => g.Count(), StringComparer.Ordinal);
}

/// <summary>A stored check run: the columns the list shows and the whole report.</summary>
public sealed record IdpCheckRunRecord(Guid Id, string Connection, string Trigger, string Status, int Findings, DateTimeOffset Started, DateTimeOffset Finished, string ReportJson);
