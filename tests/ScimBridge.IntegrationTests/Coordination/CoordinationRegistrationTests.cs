using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Coordination;
using ScimBridge.Persistence;
using ScimBridge.Persistence.Coordination;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>AddScimBridgeStorage picks the coordination primitives that fit the database.</summary>
public sealed class CoordinationRegistrationTests
{
    [Fact]
    public async Task AddScimBridgeStorage_Sqlite_RegistersInProcessElectionAndSqliteQueue()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-coord-di-" + Guid.NewGuid().ToString("N"));
        var storage = new StorageOptions { DataDirectory = folder };
        await using (var provider = Services(storage).BuildServiceProvider())
        {
            Assert.IsType<SqliteWorkQueue>(provider.GetRequiredService<IWorkQueue>());
            Assert.IsType<InProcessLeaderElection>(provider.GetRequiredService<ILeaderElection>());
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AddScimBridgeStorage_Postgres_RegistersAdvisoryLockElectionAndPostgresQueue()
    {
        // Resolving opens no connection, so no server is needed here.
        var storage = new StorageOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Database=none" };
        await using var provider = Services(storage).BuildServiceProvider();

        Assert.IsType<PostgresWorkQueue>(provider.GetRequiredService<IWorkQueue>());
        Assert.IsType<PostgresLeaderElection>(provider.GetRequiredService<ILeaderElection>());
    }

    private static ServiceCollection Services(StorageOptions storage)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Configure(o => o.DataDirectory = storage.DataDirectory);
        services.AddScimBridgeStorage(storage);
        return services;
    }
}
