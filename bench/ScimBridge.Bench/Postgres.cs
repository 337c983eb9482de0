using System.Globalization;
using Npgsql;

namespace ScimBridge.Bench;

/// <summary>The throwaway database of a run with --postgres: created fresh on the admin connection's server, dropped at the end.</summary>
internal static class Postgres
{
    public static string ServerVersion { get; private set; } = "?";

    /// <summary>Creates scimbridge_bench_N (N: the first free of process id, then counting up) and returns its name and connection string.</summary>
    public static async Task<(string Database, string ConnectionString)> CreateDatabaseAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        ServerVersion = connection.PostgreSqlVersion.ToString();
        for (var n = Environment.ProcessId; ; n++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"scimbridge_bench_{n}");
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync() is not null)
            {
                continue;
            }

            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
            var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
            return (name, builder.ConnectionString);
        }
    }

    public static async Task DropDatabaseAsync(string adminConnectionString, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Host, port and database, no credentials, for the log.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
