using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Platforms.Tests.Scim;
using ScimBridge.Simulators.Anthropic;
using ScimBridge.Simulators.Cursor;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>
/// Recorded Entra and Okta provisioning cycles (Cycles/*.json: joiners and pushed groups, invitees accepting, a mover,
/// a leaver, a re-hire) against ScimBridge with the OpenAI, Anthropic and Cursor simulators as enforced targets. At
/// each pause the test waits for convergence (a dry run plans nothing) without ever applying anything itself, so every
/// change reached the platforms through the outbox and the worker; at the end each simulator's state must equal the
/// expected state exactly.
/// </summary>
public sealed class ProvisioningCycleTests : IAsyncLifetime
{
    private const string OperatorToken = "operator-cycle-token";

    private const string Policy = """
        targets:
          openai: {mode: enforce}
          anthropic: {mode: enforce, containers: [default]}
          cursor: {mode: enforce}
        rules:
          - name: openai-research
            match: {groups: [AI-OpenAI-Research]}
            grant: {openai: {orgRole: reader, containers: {research: member}}}
          - name: openai-research-leads
            match: {groups: [AI-OpenAI-Research-Leads]}
            grant: {openai: {orgRole: reader, containers: {research: owner}}}
          - name: claude-everyone
            match: {everyone: true}
            grant: {anthropic: {orgRole: user, containers: {default: workspace_user}}}
          - name: claude-developers
            match: {groups: [AI-OpenAI-Research], attributes: {department: Research}}
            grant: {anthropic: {orgRole: developer}}
          - name: cursor-seat
            match: {groups: [Cursor-Users]}
            grant: {cursor: {}}
        """;

    private readonly string _policyPath = Path.Combine(Directory.CreateTempSubdirectory("scimbridge-cycle-").FullName, "policy.yaml");
    private RunningSimulator<OpenAISimulator> _openai = null!;
    private RunningSimulator<AnthropicSimulator> _anthropic = null!;
    private RunningSimulator<CursorSimulator> _cursor = null!;
    private ScimBridgeServer? _bridge;

    public async Task InitializeAsync()
    {
        var openai = new OpenAISimulator(TimeProvider.System);
        openai.Seed(Json("""
            {"users":[{"object":"organization.user","id":"user-olivia","name":"Olivia","email":"olivia@contoso.com","role":"owner","added_at":1711471533}],
             "projects":[{"object":"organization.project","id":"proj_research","name":"research","created_at":1711471533,"archived_at":null,"status":"active"}]}
            """));
        var cursor = new CursorSimulator(TimeProvider.System);
        cursor.Seed(Json("""{"teamMembers":[{"id":"user_olivia0000000000000000001","name":"Olivia","email":"olivia@contoso.com","role":"owner","isRemoved":false}]}"""));
        _openai = await SimulatorHost.StartAsync(openai, "sk-admin-cycle");
        _anthropic = await SimulatorHost.StartAsync(new AnthropicSimulator(TimeProvider.System), "sk-ant-admin01-cycle");
        _cursor = await SimulatorHost.StartAsync(cursor, "key_cycle");
        await File.WriteAllTextAsync(_policyPath, Policy);
    }

    public async Task DisposeAsync()
    {
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        await _openai.DisposeAsync();
        await _anthropic.DisposeAsync();
        await _cursor.DisposeAsync();
    }

    [Theory]
    [InlineData("entra", IdpKind.Entra)]
    [InlineData("okta", IdpKind.Okta)]
    public async Task A_recorded_cycle_ends_with_exactly_the_expected_access_on_every_platform(string cycle, IdpKind kind)
    {
        _bridge = await ScimBridgeServer.StartAsync(
            kind,
            "--Platforms:Targets:openai:Platform=openai", $"--Platforms:Targets:openai:BaseUrl={_openai.BaseUrl.AbsoluteUri}", "--Platforms:Targets:openai:ApiKey=sk-admin-cycle",
            "--Platforms:Targets:anthropic:Platform=anthropic", $"--Platforms:Targets:anthropic:BaseUrl={_anthropic.BaseUrl.AbsoluteUri}", "--Platforms:Targets:anthropic:ApiKey=sk-ant-admin01-cycle",
            "--Platforms:Targets:cursor:Platform=cursor", $"--Platforms:Targets:cursor:BaseUrl={_cursor.BaseUrl.AbsoluteUri}", "--Platforms:Targets:cursor:ApiKey=key_cycle",
            $"--Platforms:Targets:cursor:Scim:BaseUrl={new Uri(_cursor.Root, "scim/v2").AbsoluteUri}", "--Platforms:Targets:cursor:Scim:Token=sim-scim-token",
            $"--Reconciliation:PolicyPath={_policyPath}", "--Reconciliation:PollInterval=00:00:00.050", "--Reconciliation:PendingInviteRecheck=00:00:00.500",
            $"--Admin:Token={OperatorToken}");

        await TranscriptRunner.RunCycleAsync(_bridge.Client, Path.Combine(AppContext.BaseDirectory, "Reconciliation", "Cycles", cycle + ".json"), async (label, _) =>
        {
            await ConvergedAsync();
            if (label == "joined")
            {
                // The invitees click their links.
                foreach (var invite in (await StateAsync(_openai))["invites"]!.AsArray().Where(i => (string)i!["status"]! == "pending"))
                {
                    _openai.Platform.AcceptInvite((string)invite!["id"]!);
                }

                foreach (var invite in _anthropic.Platform.Invites.Where(i => i.Status == "pending"))
                {
                    _anthropic.Platform.AcceptInvite(invite.Id, invite.Email.Split('@')[0]);
                }

                await ConvergedAsync();
            }
        });

        var openai = await StateAsync(_openai);
        Assert.Equal(["ada@contoso.com reader", "grace@contoso.com reader", "olivia@contoso.com owner"], Lines(openai["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(["ada@contoso.com member", "grace@contoso.com owner"], Lines(openai["projects"]![0]!["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(["linus@contoso.com pending reader proj_research:member"],
            Lines(openai["invites"], i => $"{i["email"]} {i["status"]} {i["role"]} {string.Join(' ', i["projects"]!.AsArray().Select(p => $"{p!["id"]}:{p["role"]}"))}", i => (string)i["status"]! == "pending"));

        var anthropic = await StateAsync(_anthropic);
        Assert.Equal(["ada@contoso.com developer", "grace@contoso.com developer"], Lines(anthropic["users"], u => $"{u["email"]} {u["role"]}"));
        Assert.Equal(["linus@contoso.com pending user"], Lines(anthropic["invites"], i => $"{i["email"]} {i["status"]} {i["role"]}", i => (string)i["status"]! == "pending"));
        var workspace = _anthropic.Platform.Workspaces.Single(w => w.Name == "default");
        foreach (var user in anthropic["users"]!.AsArray())
        {
            Assert.Equal("workspace_user", _anthropic.Platform.MemberRole(workspace.Id, (string)user!["id"]!));
        }

        Assert.Equal(
            ["ada@contoso.com member", "grace@contoso.com member", "linus@contoso.com member", "olivia@contoso.com owner"],
            _cursor.Platform.Members.Where(m => !m.IsRemoved).Select(m => $"{m.Email} {m.Role}").Order(StringComparer.Ordinal));
    }

    private async Task ConvergedAsync()
    {
        using var admin = new HttpClient { BaseAddress = _bridge!.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        JsonArray reports;
        do
        {
            await Task.Delay(100);
            using var response = await admin.PostAsJsonAsync("admin/reconcile", new { dryRun = true });
            response.EnsureSuccessStatusCode();
            reports = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            if (reports.All(r => r!["planned"]!.AsArray().Count == 0))
            {
                return;
            }
        }
        while (DateTimeOffset.UtcNow < deadline);

        var runs = await admin.GetFromJsonAsync<JsonArray>("admin/runs?limit=40");
        var details = new List<string>();
        foreach (var run in runs!)
        {
            details.Add((await admin.GetStringAsync($"admin/runs/{run!["id"]}")).Replace("\n", " ", StringComparison.Ordinal));
        }

        var work = new List<string>();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_bridge.DataDirectory, "scimbridge.db")};Mode=ReadOnly"))
        {
            await db.OpenAsync();
            using var command = db.CreateCommand();
            command.CommandText = "SELECT id, key, state, attempts, not_before, last_error, updated FROM work_items ORDER BY id";
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                work.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
            }
        }

        var failures = _openai.Control.Requests.Concat(_anthropic.Control.Requests).Concat(_cursor.Control.Requests).Where(r => r.Status >= 400 || r.Method != "GET").Select(r => $"{r.At:HH:mm:ss.fff} {r.Method} {r.PathAndQuery} {r.Status}");
        Assert.Fail("Reconciliation did not converge; the last dry run still plans: " + reports.ToJsonString() + "\nWORK\n" + string.Join("\n", work) + "\nREQUESTS\n" + string.Join("\n", failures) + "\nRUNS\n" + string.Join("\n", details));
    }

    private static async Task<JsonObject> StateAsync<T>(RunningSimulator<T> sim)
        where T : ISimulatedPlatform
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonObject>(new Uri(sim.Root, "_sim/state")))!;
    }

    private static List<string> Lines(JsonNode? array, Func<JsonNode, string> line, Func<JsonNode, bool>? where = null) =>
        [.. array!.AsArray().Select(n => n!).Where(n => where is null || where(n)).Select(line).Order(StringComparer.Ordinal)];

    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));
}
