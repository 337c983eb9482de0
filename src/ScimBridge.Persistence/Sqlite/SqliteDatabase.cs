using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Sqlite;

/// <summary>
/// The embedded database. SQLite allows one writer at a time, so writes go through one long-lived connection
/// behind a gate (no SQLITE_BUSY spinning under load), while reads use a pool of open read sessions (connection plus
/// prepared commands) that WAL lets run beside the writer.
/// </summary>
public sealed partial class SqliteDatabase : IStoreDatabase, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteReadSession> _idleReaders = [];

    // A fixed set of warm sessions: reads are CPU-bound on SQLite, so more sessions than this only add memory and
    // churn (a session closed on return loses its prepared statements); a request waits for a free one instead.
    // Never disposed: a session returned during shutdown may still release it (a SemaphoreSlim holds no handle
    // unless AvailableWaitHandle is used).
    private readonly SemaphoreSlim _readerSlots;
    private SqliteConnection? _writer;
    private volatile bool _disposed;

    /// <summary>SQLITE_DBCONFIG_ENABLE_QPSG (https://www.sqlite.org/c3ref/c_dbconfig_defensive.html).</summary>
    private const int EnableQueryPlannerStability = 1007;

    public SqliteDatabase(string path, ILogger<SqliteDatabase> logger, int maxReaders = 16)
    {
        _readerSlots = new SemaphoreSlim(maxReaders, maxReaders);
        _logger = logger;
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Read sessions are pooled here (with their prepared commands); a second pool underneath would only
            // keep closed sessions' handles and caches alive.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string Provider => "sqlite";

    ISqlDialect IStoreDatabase.Dialect => SqliteDialect.Instance;

    async Task<T> IStoreDatabase.ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var session = await RentSessionAsync(cancellationToken);
        return await work(session.Connection);
    }

    async Task<List<T>> IStoreDatabase.QueryAsync<T>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var session = await RentSessionAsync(cancellationToken);
        return await session.QueryAsync(sql, parameters, map, cancellationToken);
    }

    async Task<long> IStoreDatabase.ScalarAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var session = await RentSessionAsync(cancellationToken);
        return await session.ScalarAsync(sql, parameters, cancellationToken);
    }

    // SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY (https://www.sqlite.org/rescode.html), not any constraint: a write and its
    // outbox item share one command, and a CHECK or trigger failing on the item is no duplicate userName.
    bool IStoreDatabase.IsUniqueViolation(DbException exception) => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var session = await RentSessionAsync(cancellationToken);
        await session.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
    }

    /// <summary>A read session from the pool (opened when none is idle); dispose it to give it back.</summary>
    public async ValueTask<SqliteReadSession> RentSessionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _readerSlots.WaitAsync(cancellationToken);
        if (_idleReaders.TryTake(out var session))
        {
            session.MarkRented();
            return session;
        }

        try
        {
            var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            RegisterFunctions(connection);

            // The bundled SQLite is built with STAT4, which re-prepares a statement whenever a newly bound value might
            // change its plan (sqlite3_step -> sqlite3Reprepare, seen on every `userName eq` lookup). The query
            // planner stability guarantee keeps the plan, so a prepared statement stays prepared.
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, EnableQueryPlannerStability, 1, out _);

            // Readers never write (query_only guards that) and lean on the OS page cache rather than a 2 MB private
            // cache each, which keeps RSS flat.
            await connection.ExecuteAsync("PRAGMA query_only = 1; PRAGMA cache_size = -512;");
            return new SqliteReadSession(this, connection);
        }
        catch
        {
            _readerSlots.Release();
            throw;
        }
    }

    internal ValueTask ReturnAsync(SqliteReadSession session)
    {
        if (_disposed)
        {
            // Returned after shutdown: nothing to go back to.
            return session.CloseAsync();
        }

        _idleReaders.Add(session);
        _readerSlots.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction on the single writer connection.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var connection = await WriterAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Creates the file if needed and applies the numbered migrations it has not seen.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)", transaction: transaction);
                var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();
                foreach (var (version, name, sql) in Migrations.Embedded(typeof(SqliteDatabase).Assembly, "ScimBridge.Persistence.Sqlite."))
                {
                    if (applied.Contains(version))
                    {
                        continue;
                    }

                    await connection.ExecuteAsync(sql, transaction: transaction);
                    await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction);
                    LogMigrationApplied(_logger, version, name);
                }

                return 0;
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idleReaders.TryTake(out var session))
        {
            await session.CloseAsync();
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _writeGate.Dispose();
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        RegisterFunctions(connection);

        // WAL: readers never block the writer. synchronous=NORMAL is durable across process crashes in WAL mode
        // (an OS crash may lose the last commits, never corrupt): https://www.sqlite.org/pragma.html#pragma_synchronous
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        _writer = connection;
        return connection;
    }

    private static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?>(SqliteDialect.FoldFunction, value => value?.ToLowerInvariant(), isDeterministic: true);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, long version, string name);
}
