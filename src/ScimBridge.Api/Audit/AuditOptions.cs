using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Api.Audit;

/// <summary>Section <c>Audit</c>: how long the audit trail keeps events, and how often retention looks.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>Events older than this many days are pruned (oldest first, keeping the chain verifiable); 0 keeps all.</summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; }

    /// <summary>
    /// Record SCIM reads (GET, list, .search) as well as changes. On by default: an audit trail of who read which
    /// identity is what the trail is for. Off records only changes (and /admin changes), for a deployment whose IdP
    /// polls heavily; it saves the read's share of the trail's cost (docs/performance.md, "Audit cost").
    /// </summary>
    public bool ScimReads { get; set; } = true;

    /// <summary>How often the retention job (one replica at a time) prunes.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PruneInterval <= TimeSpan.Zero)
        {
            yield return new("Audit:PruneInterval must be a positive duration (e.g. 01:00:00).", [nameof(PruneInterval)]);
        }
    }
}
