namespace ScimBridge.Core.Reconciliation;

/// <summary>What started a run, as runs record it.</summary>
public static class ReconcileTriggers
{
    /// <summary>A SCIM change, for the identities it touched (a scoped run).</summary>
    public const string Scim = "scim";

    /// <summary>The scheduled full pass.</summary>
    public const string Schedule = "schedule";

    /// <summary>An operator over the API: POST /admin/reconcile.</summary>
    public const string Operator = "operator";

    /// <summary>An operator previewing a candidate policy over the API (a dry run of a policy not in force).</summary>
    public const string OperatorPreview = "operator-preview";

    /// <summary>An operator with <c>scimbridge reconcile</c>.</summary>
    public const string Cli = "cli";

    /// <summary>An operator previewing a candidate policy with <c>scimbridge reconcile --policy-file</c>.</summary>
    public const string CliPreview = "cli-preview";

    /// <summary>Runs of the policy in force over every identity: their drift is the target's drift.</summary>
    public static readonly IReadOnlyCollection<string> FullPasses = [Schedule, Operator, Cli];
}
