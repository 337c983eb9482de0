using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Storage;
using ScimBridge.Persistence.Coordination;
using ScimBridge.Persistence.Postgres;
using ScimBridge.Persistence.Sqlite;

namespace ScimBridge.Persistence;

public static class PersistenceRegistration
{
    public const string DatabaseFileName = "scimbridge.db";

    /// <summary>
    /// Registers the stores over PostgreSQL when Storage:ConnectionString is set, else over the embedded SQLite file
    /// (the zero-set-up default).
    /// </summary>
    public static IServiceCollection AddScimBridgeStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            services.AddSingleton(_ =>
            {
                var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);

                // The hot statements repeat with new values only: let Npgsql prepare them on the server once
                // (https://www.npgsql.org/doc/prepare.html), unless the connection string already decides.
                if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
                {
                    builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                    builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
                }

                return builder.Build();
            });
            services.AddSingleton<IStoreDatabase, PostgresDatabase>();
            services.AddSingleton<PostgresWorkQueue>();
            services.AddSingleton<IWorkQueue>(provider => provider.GetRequiredService<PostgresWorkQueue>());
            services.AddSingleton<IWorkQueueInspector>(provider => provider.GetRequiredService<PostgresWorkQueue>());
            services.AddSingleton<ILeaderElection, PostgresLeaderElection>();
        }
        else
        {
            services.AddSingleton(provider =>
            {
                var sqlite = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                return new SqliteDatabase(
                    Path.Combine(Path.GetFullPath(sqlite.DataDirectory), DatabaseFileName),
                    provider.GetRequiredService<ILogger<SqliteDatabase>>(),
                    sqlite.MaxReadConnections);
            });
            services.AddSingleton<IStoreDatabase>(provider => provider.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<SqliteWorkQueue>();
            services.AddSingleton<IWorkQueue>(provider => provider.GetRequiredService<SqliteWorkQueue>());
            services.AddSingleton<IWorkQueueInspector>(provider => provider.GetRequiredService<SqliteWorkQueue>());
            services.AddSingleton<ILeaderElection, InProcessLeaderElection>();
        }

        services.AddSingleton<IDatabaseLifecycle>(provider => provider.GetRequiredService<IStoreDatabase>());
        services.AddSingleton<IResourceStore, ResourceStore>();
        services.AddSingleton<IConnectionStore, ConnectionStore>();
        services.AddSingleton<IReconciliationStore, ReconciliationStore>();
        services.AddSingleton<Core.Activity.IActivityStore, Activity.ActivityStore>();
        return services;
    }
}
