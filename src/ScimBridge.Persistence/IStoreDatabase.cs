using System.Data.Common;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence;

/// <summary>What the host needs of the database: migrate it on start, and ask whether it answers (readiness).</summary>
public interface IDatabaseLifecycle
{
    /// <summary>"sqlite" or "postgres", for logs and health output.</summary>
    string Provider { get; }

    Task MigrateAsync(CancellationToken cancellationToken);

    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The database under the stores: its SQL dialect and how statements run on it. The stores hold the logic once;
/// SQLite (one writer behind a gate, pooled prepared read sessions) and PostgreSQL (pooled connections, row locks)
/// differ only here and in their dialects.
/// </summary>
internal interface IStoreDatabase : IDatabaseLifecycle
{
    ISqlDialect Dialect { get; }

    /// <summary>Runs <paramref name="work"/> in one write transaction, committed when it returns.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs Dapper reads on a read connection.</summary>
    Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>The hot-path read: a (prepared, where the database keeps it) query mapped row by row.</summary>
    Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken);

    Task<long> ScalarAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken);

    /// <summary>Whether an error is a unique-constraint violation (a duplicate userName or displayName).</summary>
    bool IsUniqueViolation(DbException exception);
}
