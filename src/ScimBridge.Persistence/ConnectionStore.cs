using Dapper;
using ScimBridge.Core.Connections;

namespace ScimBridge.Persistence;

internal sealed class ConnectionStore(IStoreDatabase database) : IConnectionStore
{
    private const string Columns = "id AS Id, name AS Name, kind AS Kind, jwt_subject AS JwtSubject, created AS Created";

    public Task CreateAsync(IdpConnection connection, byte[] secretHash, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(
                "INSERT INTO connections (id, name, kind, secret_hash, jwt_subject, created) VALUES (@Id, @Name, @Kind, @Hash, @JwtSubject, @Created)",
                Parameters(connection, secretHash), tx, cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<IdpConnection?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        FindAsync("secret_hash = @value", secretHash, cancellationToken);

    public Task<IdpConnection?> FindByJwtSubjectAsync(string subject, CancellationToken cancellationToken) =>
        FindAsync("jwt_subject = @value", subject, cancellationToken);

    public Task<IdpConnection?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        FindAsync(database.Dialect.NameEquals("name", "@value"), name, cancellationToken);

    public Task<IReadOnlyList<IdpConnection>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IdpConnection>>(
            async db => [.. (await db.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM connections ORDER BY name", cancellationToken: cancellationToken)))
                .Select(r => r.ToConnection())],
            cancellationToken);

    public async Task<bool> SetSecretHashAsync(string name, byte[] secretHash, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(
                $"UPDATE connections SET secret_hash = @secretHash WHERE {database.Dialect.NameEquals("name", "@name")}", new { name, secretHash }, tx, cancellationToken: cancellationToken)),
            cancellationToken) > 0;

    public Task UpsertDeclaredAsync(IdpConnection connection, byte[]? secretHash, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (db, tx) => db.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO connections (id, name, kind, secret_hash, jwt_subject, created) VALUES (@Id, @Name, @Kind, @Hash, @JwtSubject, @Created)
                ON CONFLICT {database.Dialect.NameConflictTarget} DO UPDATE SET kind = excluded.kind, secret_hash = COALESCE(excluded.secret_hash, connections.secret_hash),
                    jwt_subject = excluded.jwt_subject
                """,
                Parameters(connection, secretHash), tx, cancellationToken: cancellationToken)),
            cancellationToken);

    private Task<IdpConnection?> FindAsync(string where, object value, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async db => (await db.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM connections WHERE {where}", new { value }, cancellationToken: cancellationToken)))?.ToConnection(),
            cancellationToken);

    private static object Parameters(IdpConnection connection, byte[]? hash) => new
    {
        Id = connection.Id.ToString(),
        connection.Name,
        Kind = connection.Kind.ToString().ToLowerInvariant(),
        Hash = hash,
        connection.JwtSubject,
        Created = connection.Created.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed record Row(string Id, string Name, string Kind, string? JwtSubject, string Created)
    {
        public IdpConnection ToConnection() => new(
            Guid.Parse(Id), Name, Enum.Parse<IdpKind>(Kind, ignoreCase: true), JwtSubject,
            DateTimeOffset.Parse(Created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal));
    }
}
