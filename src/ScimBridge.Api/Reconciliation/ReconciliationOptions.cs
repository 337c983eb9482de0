using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Api.Reconciliation;

/// <summary>Section <c>Reconciliation</c>: where the policy is, and how often and how eagerly reconciliation runs.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>The mapping policy YAML. Relative paths are from the working directory. Unset: no reconciliation.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>How often the whole IdP is reconciled against every target (on one replica: the elected leader).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FullPassInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the worker looks for SCIM changes to propagate when it found none last time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>SCIM changes handled together in one run (coalesced per identity by the outbox).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How long a claimed change is leased to this replica. A replica that dies mid-run leaves its changes to be claimed
    /// again after this; longer than any run should take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many attempts an item is dead-lettered with its last error, for an operator to look at.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How soon an identity with a pending invitation is looked at again, so access that waits for acceptance (an
    /// Anthropic workspace, say) follows within this long of the invitee accepting, not at the next full pass.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan PendingInviteRecheck { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long finished work items are kept (for /admin/work?state=done) before the retention sweep deletes them.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DoneWorkRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long reconciliation runs and IdP check runs are kept with their reports; each target's and each connection's
    /// newest run is kept regardless.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan RunRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often one replica sweeps what outlived its retention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Run the propagation worker and the scheduled pass in this process (off for CLI commands).</summary>
    public bool Worker { get; set; } = true;
}
