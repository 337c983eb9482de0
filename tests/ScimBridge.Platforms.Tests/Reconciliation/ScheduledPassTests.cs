using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static ScimBridge.Platforms.Tests.Reconciliation.BridgeWithSimulators;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>Level-triggered: access changed by hand on a platform, with no SCIM change at all, is put back by the scheduled full pass.</summary>
public sealed class ScheduledPassTests : IAsyncLifetime
{
    private BridgeWithSimulators _e2e = null!;

    public async Task InitializeAsync() => _e2e = await StartSimulatorsAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task A_membership_removed_by_hand_on_the_platform_is_restored_by_the_scheduled_pass()
    {
        await _e2e.StartBridgeAsync("--Reconciliation:FullPassInterval=00:00:01");
        var user = await PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@contoso.com","emails":[{"primary":true,"value":"ada@contoso.com"}],"active":true}""");
        await PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"AI-OpenAI-Research","members":[{"value":"{{user}}"}]}""");
        await _e2e.ConvergedAsync();
        await _e2e.AcceptInvitesAsync();
        await _e2e.ConvergedAsync();
        var account = (string)(await StateAsync(_e2e.OpenAI))["users"]!.AsArray().Single(u => (string)u!["email"]! == "ada@contoso.com")!["id"]!;

        // Let queued SCIM work (the invitee rechecks) finish first, so nothing but the timer can act after the edit.
        using var admin = new HttpClient { BaseAddress = _e2e.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        using (var idle = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((await admin.GetFromJsonAsync<JsonArray>("admin/work?state=pending", idle.Token))!.Count > 0)
            {
                await Task.Delay(100, idle.Token);
            }
        }

        // Someone removes Ada from the project in OpenAI's console; the IdP sends nothing.
        using (var openai = new HttpClient { BaseAddress = new Uri(_e2e.OpenAI.BaseUrl.AbsoluteUri.TrimEnd('/') + "/") })
        {
            openai.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-admin-e2e");
            (await openai.DeleteAsync($"organization/projects/proj_research/users/{account}")).EnsureSuccessStatusCode();
        }

        // No assertion that she is gone now: a pass due this very second may already have put her back.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_e2e.OpenAI.Platform.ProjectUserRole("proj_research", account) != "member")
        {
            await Task.Delay(100, timeout.Token);
        }

        // The run is saved once it has finished, a moment after its change shows on the platform.
        var restoredBy = new List<string>();
        while (restoredBy.Count == 0)
        {
            await Task.Delay(100, timeout.Token);
            foreach (var run in (await admin.GetFromJsonAsync<JsonArray>("admin/runs?target=openai&limit=100", timeout.Token))!.Where(r => !(bool)r!["dryRun"]!))
            {
                var report = (await admin.GetFromJsonAsync<JsonObject>($"admin/runs/{run!["id"]}", timeout.Token))!;
                if (report["outcomes"]?.AsArray().Any(o => (string)o!["step"]!["kind"]! == "grantMembership" && (string)o["result"]! == "applied") == true)
                {
                    restoredBy.Add((string)run["trigger"]!);
                }
            }
        }

        Assert.Equal(["schedule"], restoredBy); // the pass on the timer, not a SCIM change, put it back
    }

    private async Task<string> PostAsync(string resource, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/scim+json");
        using var response = await _e2e.Scim.PostAsync(resource, body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
