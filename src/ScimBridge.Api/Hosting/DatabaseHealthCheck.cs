using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScimBridge.Persistence.Sqlite;

namespace ScimBridge.Api.Hosting;

/// <summary>Readiness: the database answers a query.</summary>
public sealed class DatabaseHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var session = await database.ReadAsync(cancellationToken);
            var connection = session.Connection;
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.", e);
        }
    }
}
