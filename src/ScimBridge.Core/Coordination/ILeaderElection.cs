namespace ScimBridge.Core.Coordination;

/// <summary>
/// Elects one replica to run a singleton (a scheduler, say). Leadership lasts until it is disposed or lost; when the
/// holder dies, another replica's next <see cref="TryAcquireAsync"/> succeeds. Callers poll: a replica that did not
/// win tries again later.
/// </summary>
public interface ILeaderElection
{
    /// <summary>Leadership of <paramref name="name"/> when no other holder has it, else null (without waiting).</summary>
    Task<ILeadership?> TryAcquireAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Held leadership. Dispose to hand it over.</summary>
public interface ILeadership : IAsyncDisposable
{
    string Name { get; }

    /// <summary>
    /// Cancelled when leadership is lost (the connection that holds it broke). Link the singleton's work to it and
    /// stop promptly: another replica may become leader as soon as the database notices. Not cancelled by dispose.
    /// </summary>
    CancellationToken Lost { get; }
}
