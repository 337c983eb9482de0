using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ScimBridge.Platforms.Tests.Reconciliation;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>
/// One real scimbridge process with the three simulators (BridgeWithSimulators), two console operators, a few
/// provisioned users so there are runs, drift and keys to show, and one headless chromium, shared by a test class.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public BridgeWithSimulators Bridge { get; private set; } = null!;

    public ConsoleBrowser Browser { get; private set; } = null!;

    public Uri Root => Bridge.Root;

    public async Task InitializeAsync()
    {
        Browser = await ConsoleBrowser.LaunchAsync();
        Bridge = await BridgeWithSimulators.StartSimulatorsAsync();

        // A key on OpenAI that no IdP identity owns, for the inventory and its revoke button.
        Bridge.OpenAI.Platform.AddUsers(1);
        Bridge.OpenAI.Platform.AddUserApiKeys("proj_research", "user-gen-0000001", 2);
        await Bridge.StartBridgeAsync(ConsoleOperators.Args(token: false));

        var ada = await PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@contoso.com","emails":[{"primary":true,"value":"ada@contoso.com"}],"active":true}""");
        var grace = await PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace@contoso.com","emails":[{"primary":true,"value":"grace@contoso.com"}],"active":true}""");
        await PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"AI-OpenAI-Research","members":[{"value":"{{ada}}"}]}""");
        await PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Cursor-Users","members":[{"value":"{{ada}}"},{"value":"{{grace}}"}]}""");
        using var admin = AdminClient();
        using var runs = await admin.PostAsJsonAsync("admin/reconcile", new { dryRun = false });
        runs.EnsureSuccessStatusCode();
    }

    /// <summary>An /admin client with the process's shared token (BridgeWithSimulators.OperatorToken).</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Root };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BridgeWithSimulators.OperatorToken);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Bridge is not null)
        {
            await Bridge.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
    }

    private async Task<string> PostAsync(string resource, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/scim+json");
        using var response = await Bridge.Scim.PostAsync(resource, body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;
    }
}
