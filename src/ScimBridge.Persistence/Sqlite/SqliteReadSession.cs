using Microsoft.Data.Sqlite;

namespace ScimBridge.Persistence.Sqlite;

/// <summary>
/// A read connection that stays open between requests together with its prepared commands. A fresh command makes
/// SQLite parse and plan its SQL again, which the read-path profile showed costing more than running the query
/// (docs/performance.md). The SQL of the hot reads depends only on the filter's shape, so a small cache per session
/// hits on every IdP lookup. Disposing a session returns it to its database's pool.
/// </summary>
public sealed class SqliteReadSession : IAsyncDisposable
{
    private const int MaxPrepared = 64;

    private readonly SqliteDatabase _owner;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private int _rented = 1;

    internal SqliteReadSession(SqliteDatabase owner, SqliteConnection connection)
    {
        _owner = owner;
        Connection = connection;
    }

    /// <summary>The open connection, for Dapper queries off the hot path.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Runs a query through a cached prepared command and maps each row with <paramref name="map"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, Func<System.Data.Common.DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var (command, cached) = Command(sql, parameters);
        try
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            if (!cached)
            {
                await command.DisposeAsync();
            }
        }
    }

    public async Task<long> ScalarAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        var (command, cached) = Command(sql, parameters);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            if (!cached)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>Gives the session back to the pool, once: a second dispose is ignored rather than freeing a slot twice.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _rented, 0) == 1 ? _owner.ReturnAsync(this) : ValueTask.CompletedTask;

    internal void MarkRented() => Volatile.Write(ref _rented, 1);

    internal async ValueTask CloseAsync()
    {
        foreach (var command in _prepared.Values)
        {
            await command.DisposeAsync();
        }

        _prepared.Clear();
        await Connection.DisposeAsync();
    }

    private (SqliteCommand Command, bool Cached) Command(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        var cached = _prepared.TryGetValue(sql, out var command);
        if (!cached)
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            if (_prepared.Count < MaxPrepared)
            {
                _prepared[sql] = command;
                cached = true;
            }
        }

        // The same SQL text numbers its parameters the same way (SqlParameters), so a cached command takes them by
        // position; a caller that breaks that gets a clear error, never a value bound to the wrong name.
        if (command!.Parameters.Count != parameters.Count)
        {
            throw new InvalidOperationException($"Prepared statement expects {command.Parameters.Count} parameters, got {parameters.Count}.");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            command!.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return (command!, cached);
    }
}
