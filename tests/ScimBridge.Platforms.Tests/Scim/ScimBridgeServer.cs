using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Connections;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>
/// A second, real ScimBridge acting as the downstream SCIM service provider: Kestrel on a free loopback port, a fresh
/// SQLite store in a temp folder, and one Generic connection whose secret is the bearer token (the bits of
/// tests/ScimBridge.IntegrationTests/Infrastructure/ScimServer.cs this suite needs).
/// </summary>
public sealed class ScimBridgeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ScimBridgeServer(WebApplication app, string dataDirectory, Uri root, string secret, string connectionName)
    {
        ConnectionName = connectionName;
        _app = app;
        _dataDirectory = dataDirectory;
        Root = root;
        Secret = secret;
        Client = new HttpClient { BaseAddress = new Uri(root, "scim/v2/") };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Root { get; }

    public string Secret { get; }

    /// <summary>The name of the IdP connection the <see cref="Secret"/> belongs to.</summary>
    public string ConnectionName { get; }

    /// <summary>The folder of this server's SQLite store.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The server's services, for tests that play another replica (holding a lease, say).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A client straight to /scim/v2/ (bypassing any proxy), for seeding and checking state.</summary>
    public HttpClient Client { get; }

    public static Task<ScimBridgeServer> StartAsync(params string[] extraArgs) => StartAsync(IdpKind.Generic, extraArgs);

    /// <summary>As <see cref="StartAsync(string[])"/>, with the connection speaking <paramref name="kind"/>'s dialect.</summary>
    public static async Task<ScimBridgeServer> StartAsync(IdpKind kind, params string[] extraArgs)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("scimbridge-platforms-").FullName;

        // An empty connection string pins SQLite even where the environment points ScimBridge at PostgreSQL.
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", dataDirectory, "--Storage:ConnectionString=",
            "--Logging:LogLevel:Default=Warning", .. extraArgs,
        ];
        var app = ScimBridgeHost.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateConnection("downstream-" + Guid.NewGuid().ToString("N")[..8], kind, null));
        return new ScimBridgeServer(app, dataDirectory, new Uri(address.TrimEnd('/') + "/"), created.Secret, created.Connection.Name);
    }

    public async Task<string> CreateUserAsync(string userName, bool active = true)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["displayName"] = userName.Split('@')[0],
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["primary"] = true }),
            ["active"] = active,
        };
        using var response = await Client.PostAsync("Users", Scim(body));
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    public async Task<string> CreateGroupAsync(string displayName, params string[] memberIds)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray([.. memberIds.Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
        };
        using var response = await Client.PostAsync("Groups", Scim(body));
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>The resource, or null on 404.</summary>
    public async Task<JsonObject?> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    public async Task<int> CountAsync(string resource) => (int)(await GetAsync(resource + "?count=0"))!["totalResults"]!;

    public async Task<IReadOnlyList<string>> GroupMemberIdsAsync(string groupId) =>
        [.. ((await GetAsync($"Groups/{groupId}"))!["members"] as JsonArray ?? []).Select(m => (string)m!["value"]!)];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static StringContent Scim(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/scim+json");
}
