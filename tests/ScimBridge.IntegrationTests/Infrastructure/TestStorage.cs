using System.Data.Common;
using System.Diagnostics;

namespace ScimBridge.IntegrationTests.Infrastructure;

/// <summary>
/// The store one test server runs on, chosen for the whole run by SCIMBRIDGE_TEST_BACKEND: "sqlite" (the default)
/// is a SQLite file in a fresh temp folder; "postgres" is, in addition, a fresh database
/// (scimbridge_t_&lt;guid&gt;) on the server SCIMBRIDGE_TEST_POSTGRES names (tests/postgres/pg.sh), dropped on dispose.
/// The temp folder exists on both backends, so Storage:DataDirectory always points somewhere harmless.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    public const string BackendVariable = "SCIMBRIDGE_TEST_BACKEND";
    public const string PostgresVariable = "SCIMBRIDGE_TEST_POSTGRES";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private TestStorage(string dataDirectory, string? databaseName, string? connectionString)
    {
        DataDirectory = dataDirectory;
        DatabaseName = databaseName;
        ConnectionString = connectionString;
    }

    /// <summary>"sqlite" or "postgres", from SCIMBRIDGE_TEST_BACKEND (unset or empty: "sqlite"). Any other value throws.</summary>
    public static string Backend
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(BackendVariable);
            return string.IsNullOrWhiteSpace(value) ? Sqlite : value.Trim().ToLowerInvariant() switch
            {
                Sqlite => Sqlite,
                Postgres => Postgres,
                _ => throw new InvalidOperationException($"{BackendVariable}={value} is neither '{Sqlite}' nor '{Postgres}'."),
            };
        }
    }

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL database of this store; null on SQLite.</summary>
    public string? DatabaseName { get; }

    /// <summary>Storage:ConnectionString for this store; null on SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The configuration that points ScimBridge (server or CLI) at this store.</summary>
    public IReadOnlyList<string> Args => ConnectionString is null
        ? [$"--Storage:DataDirectory={DataDirectory}"]
        : [$"--Storage:DataDirectory={DataDirectory}", $"--Storage:ConnectionString={ConnectionString}"];

    public static async Task<TestStorage> CreateAsync()
    {
        var backend = Backend;
        var admin = backend == Postgres ? PostgresAdmin.FromEnvironment() : null;
        var folder = Directory.CreateTempSubdirectory("scimbridge-test-").FullName;
        if (admin is null)
        {
            return new TestStorage(folder, null, null);
        }

        var name = $"scimbridge_t_{Guid.NewGuid():N}";
        try
        {
            await admin.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new TestStorage(folder, name, admin.ConnectionStringFor(name));
    }

    /// <summary>
    /// On PostgreSQL, fails unless ScimBridge migrated this store's database, so a server that ignored
    /// Storage:ConnectionString and quietly ran on SQLite never passes for a PostgreSQL run.
    /// </summary>
    /// <param name="effectiveConnectionString">
    /// The server's own Storage:ConnectionString when a test overrode this store's; its database is the one checked.
    /// </param>
    public async Task EnsureMigratedAsync(string? effectiveConnectionString = null)
    {
        if (DatabaseName is null)
        {
            return;
        }

        var database = DatabaseName;
        if (!string.IsNullOrWhiteSpace(effectiveConnectionString) && effectiveConnectionString != ConnectionString)
        {
            var effective = new DbConnectionStringBuilder { ConnectionString = effectiveConnectionString };
            database = (effective.TryGetValue("Database", out var value) || effective.TryGetValue("Db", out value)) && value?.ToString() is { Length: > 0 } named
                ? named
                : database;
        }

        var tables = await PostgresAdmin.FromEnvironment().ExecuteAsync(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            database);
        if (tables.Trim() == "0")
        {
            throw new InvalidOperationException(
                $"ScimBridge started with Storage:ConnectionString={effectiveConnectionString ?? ConnectionString} but created no " +
                $"table in PostgreSQL database {database}: it did not use PostgreSQL (is the PostgreSQL backend registered?).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (DatabaseName is not null)
        {
            try
            {
                // FORCE ends the connections the server's pool still holds.
                await PostgresAdmin.FromEnvironment().ExecuteAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // A leftover database dies with the throwaway cluster; failing the test over cleanup would hide its result.
                await Console.Error.WriteLineAsync($"warning: could not drop test database {DatabaseName}: {e.Message}");
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }
}

/// <summary>
/// Administers the test PostgreSQL server through psql (so the test project needs no driver of its own): the server
/// and credentials come from the SCIMBRIDGE_TEST_POSTGRES connection string, psql from SCIMBRIDGE_TEST_PSQL, the
/// newest /usr/lib/postgresql/*/bin/psql, or psql on PATH.
/// </summary>
public sealed class PostgresAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DbConnectionStringBuilder _connection;

    private PostgresAdmin(DbConnectionStringBuilder connection) => _connection = connection;

    public string Host => Get("Host", "Server") ?? "127.0.0.1";

    public string Port => Get("Port") ?? "5432";

    public string Username => Get("Username", "User Id", "User", "UserName", "User Name") ?? "postgres";

    public string? Password => Get("Password", "Pwd");

    /// <summary>The database psql connects to when none is given: the connection string's own (normally "postgres").</summary>
    public string Database => Get("Database", "Db") ?? "postgres";

    public static PostgresAdmin FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(TestStorage.PostgresVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{TestStorage.BackendVariable}=postgres but {TestStorage.PostgresVariable} is not set. Start a server with " +
                "tests/postgres/pg.sh start and export \"$(tests/postgres/pg.sh env)\"; the tests never fall back to SQLite.");
        }

        try
        {
            return new PostgresAdmin(new DbConnectionStringBuilder { ConnectionString = value });
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{TestStorage.PostgresVariable} is not a connection string: {e.Message}", e);
        }
    }

    /// <summary>The same server and credentials, on another database.</summary>
    public string ConnectionStringFor(string database)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = _connection.ConnectionString };
        builder.Remove("Db");
        builder["Database"] = database;
        return builder.ConnectionString;
    }

    /// <summary>Runs SQL with psql (ON_ERROR_STOP) and returns its unaligned, tuples-only output.</summary>
    public async Task<string> ExecuteAsync(string sql, string? database = null)
    {
        var start = new ProcessStartInfo(PsqlPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGHOST"] = Host;
        start.Environment["PGPORT"] = Port;
        start.Environment["PGUSER"] = Username;
        start.Environment["PGDATABASE"] = database ?? Database;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["PGAPPNAME"] = "scimbridge-tests";
        if (Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"could not run {start.FileName} ({e.Message}): install PostgreSQL's client (tests/postgres/pg.sh start does) or set SCIMBRIDGE_TEST_PSQL", e);
        }

        using var process = started ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"psql did not finish within {Timeout.TotalSeconds} s: {sql}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"psql on {Host}:{Port} ({database ?? Database}) failed with exit code {process.ExitCode}: {sql}\n{(await error).Trim()}");
        }

        return await output;
    }

    private static string PsqlPath()
    {
        if (Environment.GetEnvironmentVariable("SCIMBRIDGE_TEST_PSQL") is { Length: > 0 } configured)
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(folder => (Version: int.TryParse(Path.GetFileName(folder), out var version) ? version : -1, Psql: Path.Combine(folder, "bin", "psql")))
                .Where(candidate => File.Exists(candidate.Psql))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Psql)
                .FirstOrDefault()
            : null;
        return installed ?? "psql";
    }

    private string? Get(params string[] keys) =>
        keys.Select(key => _connection.TryGetValue(key, out var value) ? value?.ToString() : null)
            .FirstOrDefault(value => !string.IsNullOrEmpty(value));
}
