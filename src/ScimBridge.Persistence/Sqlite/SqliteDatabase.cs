using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ScimBridge.Persistence.Sqlite;

/// <summary>
/// The embedded database. SQLite allows one writer at a time, so writes go through one long-lived connection
/// behind a gate (no SQLITE_BUSY spinning under load), while reads use pooled connections that WAL lets run
/// beside the writer.
/// </summary>
public sealed partial class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger<SqliteDatabase> _logger;
    private SqliteConnection? _writer;

    public SqliteDatabase(string path, ILogger<SqliteDatabase> logger)
    {
        _logger = logger;
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        RegisterFunctions(connection);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction on the single writer connection.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
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
                foreach (var (version, name, sql) in Migrations())
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
        connection.CreateFunction<string?, string?>("scim_fold", value => value?.ToLowerInvariant(), isDeterministic: true);

    private static IEnumerable<(long Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        const string prefix = "ScimBridge.Persistence.Sqlite.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, long version, string name);
}
