using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Connections;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.IdentityProviders;
using ScimBridge.Simulators.IdentityProviders.Graph;
using ScimBridge.Simulators.IdentityProviders.Okta;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary>
/// A real ScimBridge (Kestrel on loopback, SQLite in a temp folder) with one SCIM connection, "idp", whose IdP check
/// reads the Graph fake (over https, trusted by its pinned certificate) or the Okta fake; plus clients for SCIM (as the
/// connection) and /admin (as the operator).
/// </summary>
public sealed class IdpCheckHarness : IAsyncDisposable
{
    public const string Connection = "idp";
    public const string AdminToken = "idp-check-operator-token-0123456789";
    public const string GraphSecret = "graph-client-secret-for-tests";
    public const string OktaToken = "okta-api-token-for-tests";

    private readonly string _data = Directory.CreateTempSubdirectory("scimbridge-idp-").FullName;
    private WebApplication? _app;

    public RunningSimulator<GraphSimulator>? Graph { get; private set; }

    public RunningSimulator<OktaSimulator>? Okta { get; private set; }

    public HttpClient Scim { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public SimulatorControl Control => Graph?.Control ?? Okta!.Control;

    public static async Task<IdpCheckHarness> StartEntraAsync(GraphSimState seed, string repair, params string[] extraArgs)
    {
        var harness = new IdpCheckHarness();
        var graph = new GraphSimulator(TimeProvider.System);
        graph.Seed(Json(seed));
        harness.Graph = await SimulatorHost.StartAsync(graph, GraphSecret, "https://127.0.0.1:0");
        var root = harness.Graph.Root.AbsoluteUri;
        await harness.StartBridgeAsync(IdpKind.Entra,
        [
            $"--IdentityProviders:Connections:{Connection}:Kind=entra",
            $"--IdentityProviders:Connections:{Connection}:TenantId=contoso-tenant",
            $"--IdentityProviders:Connections:{Connection}:ClientId=client-0001",
            $"--IdentityProviders:Connections:{Connection}:ClientSecret={GraphSecret}",
            $"--IdentityProviders:Connections:{Connection}:ServicePrincipalId={seed.ServicePrincipalId}",
            $"--IdentityProviders:Connections:{Connection}:GraphBaseUrl={root}v1.0",
            $"--IdentityProviders:Connections:{Connection}:AuthorityHost={root}",
            $"--IdentityProviders:Connections:{Connection}:PinnedCertificateSha256={LoopbackCertificate.Thumbprint}",
            $"--IdentityProviders:Connections:{Connection}:Repair={repair}",
            .. extraArgs,
        ]);
        return harness;
    }

    public static async Task<IdpCheckHarness> StartOktaAsync(OktaSimState seed, string repair, params string[] extraArgs)
    {
        var harness = new IdpCheckHarness();
        var okta = new OktaSimulator(TimeProvider.System);
        okta.Seed(Json(seed));
        harness.Okta = await SimulatorHost.StartAsync(okta, OktaToken);
        await harness.StartBridgeAsync(IdpKind.Okta,
        [
            $"--IdentityProviders:Connections:{Connection}:Kind=okta",
            $"--IdentityProviders:Connections:{Connection}:OrgUrl={harness.Okta.Root.AbsoluteUri}",
            $"--IdentityProviders:Connections:{Connection}:ApiToken={OktaToken}",
            $"--IdentityProviders:Connections:{Connection}:AppId={seed.AppId}",
            $"--IdentityProviders:Connections:{Connection}:Repair={repair}",
            .. extraArgs,
        ]);
        return harness;
    }

    /// <summary>POST /admin/idp-checks; returns the single connection's report.</summary>
    public async Task<JsonObject> CheckAsync(bool? repair = null)
    {
        using var response = await Admin.PostAsJsonAsync("admin/idp-checks", new { connection = Connection, repair });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var reports = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
        return Assert.Single(reports)!.AsObject();
    }

    public async Task<string> CreateUserAsync(string userName, string? externalId = null, bool active = true)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = active,
        };
        if (externalId is not null)
        {
            body["externalId"] = externalId;
        }

        using var response = await Scim.PostAsJsonAsync("Users", body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    public async Task<string> CreateGroupAsync(string displayName, string? externalId, params string[] memberIds)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray([.. memberIds.Select(m => (JsonNode)new JsonObject { ["value"] = m })]),
        };
        if (externalId is not null)
        {
            body["externalId"] = externalId;
        }

        using var response = await Scim.PostAsJsonAsync("Groups", body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>The connection's users as userName → active.</summary>
    public async Task<Dictionary<string, bool>> UsersAsync()
    {
        var list = (await Scim.GetFromJsonAsync<JsonObject>("Users?count=1000"))!;
        return list["Resources"]!.AsArray().ToDictionary(u => (string)u!["userName"]!, u => u!["active"] is null || (bool)u["active"]!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The userNames of a group's members, found by displayName.</summary>
    public async Task<List<string>> MembersAsync(string displayName)
    {
        var groups = (await Scim.GetFromJsonAsync<JsonObject>($"Groups?filter={Uri.EscapeDataString($"displayName eq \"{displayName}\"")}"))!;
        var group = Assert.Single(groups["Resources"]!.AsArray())!;
        var users = (await Scim.GetFromJsonAsync<JsonObject>("Users?count=1000"))!["Resources"]!.AsArray().ToDictionary(u => (string)u!["id"]!, u => (string)u!["userName"]!);
        return [.. (group["members"]?.AsArray() ?? []).Select(m => users[(string)m!["value"]!]).Order(StringComparer.Ordinal)];
    }

    public static List<string> Findings(JsonObject report, string kind) =>
        [.. report["findings"]!.AsArray().Where(f => (string)f!["kind"]! == kind).Select(f => $"{f!["userName"]}{(f["groupName"] is { } g ? "@" + g : "")}").Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        Scim?.Dispose();
        Admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Graph is not null)
        {
            await Graph.DisposeAsync();
        }

        if (Okta is not null)
        {
            await Okta.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartBridgeAsync(IdpKind kind, string[] idpArgs)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", _data, "--Storage:ConnectionString=",
            "--Logging:LogLevel:Default=Warning", $"--Admin:Token={AdminToken}", .. idpArgs,
        ];
        _app = ScimBridgeHost.Build(args);
        await _app.StartAsync();
        var root = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        await using var scope = _app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateConnection(Connection, kind, null));
        Scim = new HttpClient { BaseAddress = new Uri(root, "scim/v2/") };
        Scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
        Admin = new HttpClient { BaseAddress = root };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static MemoryStream Json<T>(T state) => new(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(state, WebJson));
}
