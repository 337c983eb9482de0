using System.Net.Http.Headers;
using Mediator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Connections;

namespace ScimBridge.IntegrationTests.Infrastructure;

/// <summary>
/// A real ScimBridge: Kestrel on 127.0.0.1 with a free port, and a SQLite file in a fresh temp folder.
/// </summary>
public sealed class ScimServer : IAsyncDisposable
{
    private WebApplication? _app;

    private ScimServer(string dataDirectory) => DataDirectory = dataDirectory;

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static Task<ScimServer> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    public static async Task<ScimServer> StartAsync(Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var server = new ScimServer(Directory.CreateTempSubdirectory("scimbridge-test-").FullName);
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Storage:DataDirectory={server.DataDirectory}", "--Logging:LogLevel:Default=Warning", .. extraArgs];
        server._app = ScimBridgeHost.Build(args, configure);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
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
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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

/// <summary>One server per test class (xunit class fixture).</summary>
public sealed class ScimServerFixture : IAsyncLifetime
{
    public ScimServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ScimServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
