using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Storage;
using ScimBridge.Persistence.Sqlite;

namespace ScimBridge.Persistence;

public static class PersistenceRegistration
{
    public const string DatabaseFileName = "scimbridge.db";

    /// <summary>Registers the embedded SQLite store (the zero-set-up default).</summary>
    public static IServiceCollection AddScimBridgeStorage(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new SqliteDatabase(
                Path.Combine(Path.GetFullPath(options.DataDirectory), DatabaseFileName),
                provider.GetRequiredService<ILogger<SqliteDatabase>>(),
                options.MaxReadConnections);
        });
        services.AddSingleton<IResourceStore, SqliteResourceStore>();
        services.AddSingleton<IConnectionStore, SqliteConnectionStore>();
        return services;
    }
}
