using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Core.Reports;

/// <summary>Section <c>Reports</c>: the thresholds of the non-human identity inventory's flags.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>
    /// A key unused for this many days is stale. 45 follows the CIS AWS Foundations Benchmark (1.12, "Ensure
    /// credentials unused for 45 days or greater are disabled"), the most widely audited rule for unused keys; it is
    /// longer than a month so a key used monthly (a billing job) is not flagged.
    /// </summary>
    [Range(1, 3650)]
    public int StaleDays { get; set; } = 45;

    /// <summary>A key older than this many days is unrotated (CIS AWS Foundations 1.14: rotate access keys every 90 days or less).</summary>
    [Range(1, 3650)]
    public int UnrotatedDays { get; set; } = 90;
}
