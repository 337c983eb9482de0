using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Postgres;

/// <summary>
/// PostgreSQL for several replicas: pooled connections from one NpgsqlDataSource (Npgsql prepares repeated
/// statements itself), row locks for writers of one resource, and migrations serialised across replicas by an
/// advisory lock so several replicas can start at once.
/// </summary>
internal sealed partial class PostgresDatabase(NpgsqlDataSource dataSource, ILogger<PostgresDatabase> logger) : IStoreDatabase
{
    /// <summary>Key of the advisory lock that serialises migrations ("SCIM" in ASCII).</summary>
    private const long MigrationLock = 0x5343494D;

    public string Provider => "postgres";

    public ISqlDialect Dialect => PostgresDialect.Instance;

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    public async Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async Task<long> ScalarAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                // Every replica runs this on start; the transaction-scoped advisory lock makes the others wait and
                // then find the migrations applied.
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLock }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text NOT NULL)", transaction: transaction, cancellationToken: cancellationToken));
                var applied = (await connection.QueryAsync<long>(new CommandDefinition(
                    "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
                foreach (var (version, name, sql) in Migrations.Embedded(typeof(PostgresDatabase).Assembly, "ScimBridge.Persistence.Postgres."))
                {
                    if (applied.Contains(version))
                    {
                        continue;
                    }

                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction, cancellationToken: cancellationToken));
                    LogMigrationApplied(logger, version, name);
                }

                return 0;
            },
            cancellationToken);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
        }

        return command;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, long version, string name);
}
