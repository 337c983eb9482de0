using Microsoft.Extensions.Options;
using ScimBridge.Api.Auth;
using ScimBridge.Core.Connections;
using ScimBridge.Persistence;

namespace ScimBridge.Api.Hosting;

/// <summary>
/// Before the server listens: creates and migrates the database, then applies the connections declared in
/// configuration. Runs as the first hosted service, so a request never meets an unmigrated store.
/// </summary>
public sealed partial class StorageInitializer(
    IDatabaseLifecycle database, IConnectionStore connections, IOptions<ConnectionsOptions> declared, TimeProvider clock, ILogger<StorageInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        foreach (var connection in declared.Value.Declared)
        {
            var secret = connection.SecretEnvironmentVariable is { } variable ? Environment.GetEnvironmentVariable(variable) : null;
            var existing = await connections.FindByNameAsync(connection.Name, cancellationToken);
            await connections.UpsertDeclaredAsync(
                new IdpConnection(existing?.Id ?? Guid.CreateVersion7(), connection.Name, connection.Kind, connection.JwtSubject, existing?.Created ?? clock.GetUtcNow()),
                secret is null ? null : ConnectionSecret.Hash(secret),
                cancellationToken);
            LogDeclaredConnection(logger, connection.Name, connection.Kind, secret is not null);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Applied declared connection {Name} ({Kind}); secret from environment: {HasSecret}")]
    private static partial void LogDeclaredConnection(ILogger logger, string name, IdpKind kind, bool hasSecret);
}
