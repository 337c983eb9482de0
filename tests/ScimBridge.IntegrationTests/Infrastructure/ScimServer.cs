using System.Net.Http.Headers;
using Mediator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Connections;
using ScimBridge.Persistence;

namespace ScimBridge.IntegrationTests.Infrastructure;

/// <summary>
/// A real ScimBridge: Kestrel on 127.0.0.1 with a free port, and a fresh store (<see cref="TestStorage"/>): a SQLite
/// file in a fresh temp folder, or with SCIMBRIDGE_TEST_BACKEND=postgres a fresh PostgreSQL database.
/// </summary>
public sealed class ScimServer : IAsyncDisposable
{
    private readonly TestStorage _storage;
    private WebApplication? _app;

    private ScimServer(TestStorage storage) => _storage = storage;

    /// <summary>"sqlite" or "postgres": the store every server of this test run uses (SCIMBRIDGE_TEST_BACKEND).</summary>
    public static string Backend => TestStorage.Backend;

    public string DataDirectory => _storage.DataDirectory;

    /// <summary>Storage:ConnectionString of this server; null on SQLite.</summary>
    public string? ConnectionString => _storage.ConnectionString;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Begins a graceful stop (as on SIGTERM): no new connections, in-flight requests may finish.</summary>
    public Task StopAsync() => _app!.StopAsync();

    public static Task<ScimServer> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    public static async Task<ScimServer> StartAsync(Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var server = new ScimServer(await TestStorage.CreateAsync());
        try
        {
            // extraArgs come last, so a test's own --Storage:DataDirectory wins (the CLI tests share one with the CLI).
            string[] args = ["--urls", "http://127.0.0.1:0", .. server._storage.Args, "--Logging:LogLevel:Default=Warning", .. extraArgs];
            server._app = ScimBridgeHost.Build(args, configure);
            var sqliteFile = Path.Combine(Path.GetFullPath(server._app.Configuration["Storage:DataDirectory"] ?? "data"), PersistenceRegistration.DatabaseFileName);
            var sqliteFileExisted = File.Exists(sqliteFile);
            await server._app.StartAsync();
            if (server.ConnectionString is not null)
            {
                // A test may point the server at a store of its own (extraArgs win): check the one it really uses.
                await server._storage.EnsureMigratedAsync(server._app.Configuration["Storage:ConnectionString"]);
                if (!sqliteFileExisted && File.Exists(sqliteFile))
                {
                    throw new InvalidOperationException(
                        $"ScimBridge created the SQLite file {sqliteFile} although Storage:ConnectionString was set to PostgreSQL.");
                }
            }

            var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.BaseAddress = new Uri(address);
            return server;
        }
        catch
        {
            try
            {
                await server.DisposeAsync();
            }
            catch
            {
                // The start failure is what the caller needs to see, not a cleanup failure after it.
            }

            throw;
        }
    }

    public async Task<CreatedConnection> CreateConnectionAsync(string name, IdpKind kind = IdpKind.Generic, string? jwtSubject = null)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateConnection(name, kind, jwtSubject));
    }

    /// <summary>A client authenticated as a new connection of the given kind.</summary>
    public async Task<HttpClient> ClientAsync(IdpKind kind = IdpKind.Generic, string? name = null)
    {
        var created = await CreateConnectionAsync(name ?? $"{kind.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}", kind);
        return Client(created.Secret);
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress, "/scim/v2/") };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                try
                {
                    await _app.StopAsync();
                }
                finally
                {
                    await _app.DisposeAsync();
                }
            }
        }
        finally
        {
            await _storage.DisposeAsync();
        }
    }
}

/// <summary>One server per test class (xunit class fixture).</summary>
public sealed class ScimServerFixture : IAsyncLifetime
{
    public ScimServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ScimServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
