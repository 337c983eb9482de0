using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ScimBridge.Persistence;
using ScimBridge.Persistence.Postgres;
using ScimBridge.Persistence.Sqlite;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>
/// A fresh PostgreSQL database per test class, migrated, with two data sources standing for two replicas. Fails
/// (does not skip) without SCIMBRIDGE_TEST_POSTGRES: a skipped test passes silently in a pass that meant to run it;
/// passes without PostgreSQL exclude these tests with --filter "Category!=PostgresOnly".
/// </summary>
public sealed class PostgresCoordinationFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "SCIMBRIDGE_TEST_POSTGRES";

    private string _admin = "";

    public string DatabaseName { get; } = "scimbridge_coord_" + Guid.NewGuid().ToString("N");

    public NpgsqlDataSource ReplicaA { get; private set; } = null!;

    public NpgsqlDataSource ReplicaB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } admin
            ? admin
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. These tests (Category=PostgresOnly) need a PostgreSQL server: set it to a connection " +
                "string to an admin database, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres, " +
                "or leave them out with --filter \"Category!=PostgresOnly\".");
        await AdminAsync($"CREATE DATABASE {DatabaseName}");
        ReplicaA = DataSource("scimbridge-test-replica-a");
        ReplicaB = DataSource("scimbridge-test-replica-b");
        await Database(ReplicaA).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_admin.Length == 0)
        {
            // InitializeAsync failed for want of a server; its error is the one to read.
            return;
        }

        if (ReplicaA is not null)
        {
            await ReplicaA.DisposeAsync();
        }

        if (ReplicaB is not null)
        {
            await ReplicaB.DisposeAsync();
        }

        await AdminAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
    }

    internal static PostgresDatabase Database(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<PostgresDatabase>.Instance);

    /// <summary>A connection of neither replica (the test's own, for inspecting or sabotaging theirs).</summary>
    public async Task<NpgsqlConnection> OpenObserverAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Database = DatabaseName, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private NpgsqlDataSource DataSource(string applicationName) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_admin) { Database = DatabaseName, ApplicationName = applicationName }.ConnectionString);

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A migrated SQLite database in its own temporary folder.</summary>
internal sealed class TemporarySqlite : IAsyncDisposable
{
    private readonly string _folder;

    private TemporarySqlite(string folder, SqliteDatabase database)
    {
        _folder = folder;
        Database = database;
    }

    public SqliteDatabase Database { get; }

    public static async Task<TemporarySqlite> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-coord-" + Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(Path.Combine(folder, PersistenceRegistration.DatabaseFileName), NullLogger<SqliteDatabase>.Instance);
        await database.MigrateAsync(CancellationToken.None);
        return new TemporarySqlite(folder, database);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
