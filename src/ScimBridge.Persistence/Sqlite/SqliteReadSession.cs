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

    internal SqliteReadSession(SqliteDatabase owner, SqliteConnection connection)
    {
        _owner = owner;
        Connection = connection;
    }

    /// <summary>The open connection, for Dapper queries off the hot path.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Runs a query through a cached prepared command and maps each row with <paramref name="map"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
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

    public ValueTask DisposeAsync() => _owner.ReturnAsync(this);

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

        // The same SQL always comes with the same parameter names in the same order (SqlParameters numbers them).
        for (var i = 0; i < parameters.Count; i++)
        {
            command!.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return (command!, cached);
    }
}
