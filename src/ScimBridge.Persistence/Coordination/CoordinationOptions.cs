namespace ScimBridge.Persistence.Coordination;

/// <summary>Tuning of leader election ("Coordination" configuration section, once the host binds it).</summary>
public sealed class CoordinationOptions
{
    /// <summary>
    /// How often a leader checks that its PostgreSQL session still holds the lock. A leader whose session died keeps
    /// acting for up to this long before <c>Lost</c> fires, while another replica may already lead: the window in
    /// which two replicas both believe they lead.
    /// </summary>
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one check may take before the connection is treated as dead.</summary>
    public TimeSpan LeaderCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
