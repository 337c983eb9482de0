namespace ScimBridge.Core.IdentityProviders;

/// <summary>What the last complete read of a connection's IdP left: its view and the directory's cursor.</summary>
public sealed record IdpCursorState(string? Cursor, IdpView View, DateTimeOffset Updated);

/// <summary>Check runs, their findings, and each connection's last view and cursor (migration 005).</summary>
public interface IIdpCheckStore
{
    /// <summary>Saves the run with its findings; with <paramref name="cursor"/>, replaces the connection's cursor in the same transaction.</summary>
    Task SaveRunAsync(IdpCheckReport report, IdpCursorState? cursor, CancellationToken cancellationToken);

    Task<IdpCheckRunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes check runs (with their findings) started before <paramref name="before"/>, keeping each connection's
    /// newest run whatever its age. Returns how many runs went.
    /// </summary>
    Task<int> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<IReadOnlyList<IdpCheckRunRecord>> ListRunsAsync(string? connection, int limit, CancellationToken cancellationToken);

    Task<IdpCursorState?> GetCursorAsync(string connection, CancellationToken cancellationToken);
}
