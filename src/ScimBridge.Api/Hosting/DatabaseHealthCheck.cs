using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScimBridge.Persistence;

namespace ScimBridge.Api.Hosting;

/// <summary>Readiness: the database (SQLite or PostgreSQL) answers a query.</summary>
public sealed class DatabaseHealthCheck(IDatabaseLifecycle database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(database.Provider);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The {database.Provider} database is not reachable.", e);
        }
    }
}
