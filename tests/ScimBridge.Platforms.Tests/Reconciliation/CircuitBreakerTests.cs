using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static ScimBridge.Platforms.Tests.Reconciliation.BridgeWithSimulators;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>A change that would take access from too many members at once is held until an operator confirms it.</summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private BridgeWithSimulators _e2e = null!;

    public async Task InitializeAsync() => _e2e = await StartSimulatorsAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task Removing_most_of_a_group_is_held_and_applied_only_after_confirmation()
    {
        await _e2e.StartBridgeAsync();
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add(await PostAsync("Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"member{{i}}@contoso.com","emails":[{"primary":true,"value":"member{{i}}@contoso.com"}],"active":true}"""));
        }

        var group = await PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"AI-OpenAI-Research","members":[{{string.Join(',', ids.Select(id => $"{{\"value\":\"{id}\"}}"))}}]}""");
        await _e2e.ConvergedAsync();
        await _e2e.AcceptInvitesAsync();
        await _e2e.ConvergedAsync();
        Assert.Equal(5, _e2e.OpenAI.Platform.UserCount); // the owner and four members

        // Three of the four leave the group at once: 3 of 4 managed members is over maxRemovalShare 0.25.
        var remove = string.Join(',', ids.Take(3).Select(id => $"{{\"value\":\"{id}\"}}"));
        using (var patch = new StringContent($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{{remove}}]}]}""", Encoding.UTF8, "application/scim+json"))
        {
            (await _e2e.Scim.PatchAsync($"Groups/{group}", patch)).EnsureSuccessStatusCode();
        }

        using var admin = new HttpClient { BaseAddress = _e2e.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await admin.GetFromJsonAsync<JsonArray>("admin/runs?target=openai&limit=20", timeout.Token))!.Any(r => (string)r!["status"]! == "Held"))
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(5, _e2e.OpenAI.Platform.UserCount);

        using var confirmed = await admin.PostAsJsonAsync("admin/reconcile", new { target = "openai", confirmRemovals = true });
        confirmed.EnsureSuccessStatusCode();
        var report = Assert.Single((await confirmed.Content.ReadFromJsonAsync<JsonArray>())!)!;
        Assert.Equal("applied", (string)report["status"]!);
        Assert.Equal(2, _e2e.OpenAI.Platform.UserCount); // the owner and the one who stayed
    }

    private async Task<string> PostAsync(string resource, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/scim+json");
        using var response = await _e2e.Scim.PostAsync(resource, body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
