using ScimBridge.IntegrationTests.Infrastructure;
using static ScimBridge.Platforms.Tests.Reconciliation.BridgeWithSimulators;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>
/// Recorded Entra and Okta provisioning cycles (Cycles/*.json: joiners and pushed groups, invitees accepting, a mover,
/// a leaver, a re-hire) against ScimBridge with the OpenAI, Anthropic and Cursor simulators as enforced targets. At
/// each pause the test waits for convergence (a dry run plans nothing) without applying anything itself, so every
/// change reached the platforms through the outbox and the worker; at the end each simulator's state must equal the
/// expected state exactly. The fault variant does the same with every platform failing, throttling and dropping a
/// share of calls, and checks each invitation was sent exactly once.
/// </summary>
public sealed class ProvisioningCycleTests : IAsyncLifetime
{
    private BridgeWithSimulators _e2e = null!;

    public async Task InitializeAsync() => _e2e = await StartSimulatorsAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Theory]
    [InlineData("entra")]
    [InlineData("okta")]
    public async Task A_recorded_cycle_ends_with_exactly_the_expected_access_on_every_platform(string cycle)
    {
        await _e2e.StartBridgeAsync($"--Connections:Declared:0:Kind={cycle}");

        await RunCycleAsync(cycle);

        await AssertFinalStateAsync();
    }

    [Fact]
    public async Task Under_5xx_429s_and_dropped_connections_every_change_is_applied_exactly_once()
    {
        foreach (var control in new[] { _e2e.OpenAI.Control, _e2e.Anthropic.Control, _e2e.Cursor.Control })
        {
            control.SetFaults(new Simulators.Hosting.FaultSettings(ErrorRate: 0.15, ErrorStatus: 503, DropRate: 0.05, Seed: 11));
            control.SetRateLimit(new Simulators.Hosting.RateLimitSettings(Capacity: 15, RefillPerSecond: 15, RetryAfterSeconds: 1));
        }

        await _e2e.StartBridgeAsync("--Platforms:Targets:openai:RetryBaseDelayMilliseconds=20", "--Platforms:Targets:anthropic:RetryBaseDelayMilliseconds=20",
            "--Platforms:Targets:cursor:RetryBaseDelayMilliseconds=20");

        await RunCycleAsync("entra", TimeSpan.FromSeconds(120));

        await AssertFinalStateAsync();
        Assert.Contains(_e2e.OpenAI.Control.Requests, r => r.Status is 503 or 0 or 429); // the faults were injected
        Assert.Equal(1, _e2e.OpenAI.Platform.InviteCount("ada@contoso.com"));
        Assert.Equal(2, _e2e.OpenAI.Platform.InviteCount("linus@contoso.com")); // the first, then the re-hire's
        Assert.Single(_e2e.Anthropic.Platform.Invites, i => i.Email == "ada@contoso.com");
    }

    private async Task RunCycleAsync(string cycle, TimeSpan? within = null) =>
        await TranscriptRunner.RunCycleAsync(_e2e.Scim, Path.Combine(AppContext.BaseDirectory, "Reconciliation", "Cycles", cycle + ".json"), async (label, _) =>
        {
            await _e2e.ConvergedAsync(within);
            if (label == "joined")
            {
                await _e2e.AcceptInvitesAsync();
                await _e2e.ConvergedAsync(within);
            }
        });

    private async Task AssertFinalStateAsync()
    {
        var openai = await StateAsync(_e2e.OpenAI);
        Assert.Equal(["ada@contoso.com reader", "grace@contoso.com reader", "olivia@contoso.com owner"], Lines(openai["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(["ada@contoso.com member", "grace@contoso.com owner"], Lines(openai["projects"]![0]!["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(
            ["linus@contoso.com pending reader proj_research:member"],
            Lines(openai["invites"], i => $"{i["email"]} {i["status"]} {i["role"]} {string.Join(' ', i["projects"]!.AsArray().Select(p => $"{p!["id"]}:{p["role"]}"))}", i => (string)i["status"]! == "pending"));

        var anthropic = await StateAsync(_e2e.Anthropic);
        Assert.Equal(["ada@contoso.com developer", "grace@contoso.com developer"], Lines(anthropic["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(["linus@contoso.com pending user"], Lines(anthropic["invites"], i => $"{i["email"]} {i["status"]} {i["role"]}", i => (string)i["status"]! == "pending"));
        var workspace = _e2e.Anthropic.Platform.Workspaces.Single(w => w.Name == "default");
        foreach (var user in anthropic["users"]!.AsArray())
        {
            Assert.Equal("workspace_user", _e2e.Anthropic.Platform.MemberRole(workspace.Id, (string)user!["id"]!));
        }

        Assert.Equal(
            ["ada@contoso.com member", "grace@contoso.com member", "linus@contoso.com member", "olivia@contoso.com owner"],
            _e2e.Cursor.Platform.Members.Where(m => !m.IsRemoved).Select(m => $"{m.Email} {m.Role}").Order(StringComparer.Ordinal));
    }
}
