namespace ScimBridge.Core.Connections;

public interface IConnectionStore
{
    Task CreateAsync(IdpConnection connection, byte[] secretHash, CancellationToken cancellationToken);

    Task<IdpConnection?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken);

    Task<IdpConnection?> FindByJwtSubjectAsync(string subject, CancellationToken cancellationToken);

    Task<IdpConnection?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<IdpConnection>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the secret hash; returns false when no connection has that name.</summary>
    Task<bool> SetSecretHashAsync(string name, byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>Creates or updates a connection declared in configuration (idempotent on name).</summary>
    Task UpsertDeclaredAsync(IdpConnection connection, byte[]? secretHash, CancellationToken cancellationToken);
}
