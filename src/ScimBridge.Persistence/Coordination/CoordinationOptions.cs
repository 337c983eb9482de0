namespace ScimBridge.Persistence.Coordination;

/// <summary>Tuning of leader election, bound from the "Coordination" configuration section.</summary>
public sealed class CoordinationOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Coordination";

    /// <summary>
    /// How often a leader checks that its PostgreSQL session still holds the lock. A leader whose session died keeps
    /// acting for up to this long before <c>Lost</c> fires, while another replica may already lead: the window in
    /// which two replicas both believe they lead.
    /// </summary>
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one check may take before the connection is treated as dead.</summary>
    public TimeSpan LeaderCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (LeaderCheckInterval <= TimeSpan.Zero || LeaderCheckTimeout <= TimeSpan.Zero)
        {
            yield return new("Coordination:LeaderCheckInterval and LeaderCheckTimeout must be positive durations (e.g. 00:00:05).");
        }
    }
}
