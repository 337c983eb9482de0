using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static ScimBridge.Platforms.Tests.Reconciliation.BridgeWithSimulators;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>
/// ScimBridge killed (SIGKILL) while it is propagating acknowledged SCIM changes, then started again on the same store:
/// nothing acknowledged is lost and every intended change lands exactly once.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private BridgeWithSimulators _e2e = null!;

    public async Task InitializeAsync() => _e2e = await StartSimulatorsAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task Killed_mid_propagation_and_restarted_every_acknowledged_change_lands_exactly_once()
    {
        // Slow platforms, so the kill lands while the worker is half way through.
        foreach (var control in new[] { _e2e.OpenAI.Control, _e2e.Anthropic.Control, _e2e.Cursor.Control })
        {
            control.SetFaults(new Simulators.Hosting.FaultSettings(LatencyMilliseconds: 60));
        }

        await _e2e.StartBridgeAsync("--Reconciliation:Lease=00:00:02", "--Reconciliation:BatchSize=5");
        var people = Enumerable.Range(1, 12).Select(i => $"joiner{i:D2}@contoso.com").ToList();
        var ids = new List<string>();
        foreach (var email in people)
        {
            ids.Add(await CreateUserAsync(email));
        }

        await CreateGroupAsync("AI-OpenAI-Research", ids);
        await CreateGroupAsync("Cursor-Users", ids);

        var watch = Stopwatch.StartNew();
        while (_e2e.OpenAI.Platform.InviteCount(people[0]) == 0 && people.All(p => _e2e.OpenAI.Platform.InviteCount(p) == 0) && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await _e2e.KillBridgeAsync();
        var invitedBeforeCrash = people.Count(p => _e2e.OpenAI.Platform.InviteCount(p) > 0);
        Assert.InRange(invitedBeforeCrash, 1, people.Count - 1); // the crash really was mid-run

        await _e2e.StartBridgeAsync("--Reconciliation:Lease=00:00:02", "--Reconciliation:BatchSize=5");
        await _e2e.ConvergedAsync();

        foreach (var email in people)
        {
            Assert.Equal(1, _e2e.OpenAI.Platform.InviteCount(email));
            Assert.Single(_e2e.Anthropic.Platform.Invites, i => i.Email == email);
            Assert.Single(_e2e.Cursor.Platform.Members, m => m.Email == email && !m.IsRemoved);
        }
    }

    private async Task<string> CreateUserAsync(string email)
    {
        using var body = new StringContent(
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{email}}","active":true,"emails":[{"primary":true,"value":"{{email}}"}]}""",
            Encoding.UTF8, "application/scim+json");
        using var response = await _e2e.Scim.PostAsync("Users", body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task CreateGroupAsync(string name, IEnumerable<string> members)
    {
        var group = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = name,
            ["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["value"] = m })]),
        };
        using var body = new StringContent(group.ToJsonString(), Encoding.UTF8, "application/scim+json");
        (await _e2e.Scim.PostAsync("Groups", body)).EnsureSuccessStatusCode();
    }
}
