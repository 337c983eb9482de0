using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Platforms.Tests.Scim;
using ScimBridge.Simulators.Anthropic;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>
/// The bridge end to end: SCIM writes into a real ScimBridge (with a mapping policy and OpenAI and Anthropic
/// simulators as targets) propagate through the outbox and the worker to the platforms: a joiner is invited with their
/// project, a leaver's access is removed, and an operator's dry run changes nothing.
/// </summary>
public sealed class PropagationTests : IAsyncLifetime
{
    private const string OpenAIKey = "sk-admin-e2e";
    private const string AnthropicKey = "sk-ant-admin01-e2e";
    private const string OperatorToken = "operator-e2e-token";

    private const string Policy = """
        targets:
          openai-main: {mode: enforce}
          anthropic: {mode: enforce}
        rules:
          - name: research
            match: {groups: [AI-OpenAI-Research]}
            grant:
              openai-main: {orgRole: reader, containers: {research: member}}
              anthropic: {orgRole: user}
        """;

    private readonly string _policyPath = Path.Combine(Directory.CreateTempSubdirectory("scimbridge-policy-").FullName, "policy.yaml");
    private RunningSimulator<OpenAISimulator> _openai = null!;
    private RunningSimulator<AnthropicSimulator> _anthropic = null!;
    private ScimBridgeServer _bridge = null!;

    public async Task InitializeAsync()
    {
        var openai = new OpenAISimulator(TimeProvider.System);
        openai.Seed(new MemoryStream(Encoding.UTF8.GetBytes("""
            {"projects":[{"object":"organization.project","id":"proj_research","name":"research","created_at":1711471533,"archived_at":null,"status":"active"}]}
            """)));
        _openai = await SimulatorHost.StartAsync(openai, OpenAIKey);
        _anthropic = await SimulatorHost.StartAsync(new AnthropicSimulator(TimeProvider.System), AnthropicKey);
        await File.WriteAllTextAsync(_policyPath, Policy);
        _bridge = await ScimBridgeServer.StartAsync(
            "--Platforms:Targets:openai-main:Platform=openai",
            $"--Platforms:Targets:openai-main:BaseUrl={_openai.BaseUrl.AbsoluteUri}",
            $"--Platforms:Targets:openai-main:ApiKey={OpenAIKey}",
            "--Platforms:Targets:anthropic:Platform=anthropic",
            $"--Platforms:Targets:anthropic:BaseUrl={_anthropic.BaseUrl.AbsoluteUri}",
            $"--Platforms:Targets:anthropic:ApiKey={AnthropicKey}",
            $"--Reconciliation:PolicyPath={_policyPath}",
            "--Reconciliation:PollInterval=00:00:00.050",
            $"--Admin:Token={OperatorToken}");
    }

    public async Task DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await _openai.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task A_joiner_is_invited_with_their_project_and_a_leaver_loses_the_account()
    {
        var userId = await _bridge.CreateUserAsync("ada@example.com");
        await _bridge.CreateGroupAsync("AI-OpenAI-Research", userId);

        await Eventually(() => _openai.Platform.InviteCount("ada@example.com") == 1 && _anthropic.Platform.Invites.Any(i => i.Email == "ada@example.com"));
        var invite = await OpenAIInviteAsync("ada@example.com");
        Assert.Equal("reader", (string)invite["role"]!);
        Assert.Equal("proj_research", (string)invite["projects"]![0]!["id"]!);

        // Ada accepts; then she leaves (Entra sends active=false).
        var accountId = _openai.Platform.AcceptInvite((string)invite["id"]!);
        Assert.Equal("member", _openai.Platform.ProjectUserRole("proj_research", accountId));
        using var deactivate = new StringContent("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}""", Encoding.UTF8, "application/scim+json");
        (await _bridge.Client.PatchAsync($"Users/{userId}", deactivate)).EnsureSuccessStatusCode();

        await Eventually(() => !_openai.Platform.UserExists(accountId));
        Assert.Null(_openai.Platform.ProjectUserRole("proj_research", accountId));

        // Every change is in the audit trail with its object, before and after, and result, tied to its run.
        using var admin = new HttpClient { BaseAddress = _bridge.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var changes = (await admin.GetFromJsonAsync<JsonObject>("admin/audit?kind=platform.change&target=openai-main&limit=500"))!["events"]!.AsArray();
        var invited = changes.Single(e => (string)e!["action"]! == "inviteAccount")!;
        Assert.Equal(("invitation", (string)invite["id"]!, "applied"), ((string)invited["resourceType"]!, (string)invited["resourceId"]!, (string)invited["outcome"]!));
        Assert.Equal("ada@example.com", (string)invited["details"]!["after"]!["email"]!);
        var removed = changes.Single(e => (string)e!["action"]! == "removeAccount")!;
        Assert.Equal((accountId, "applied"), ((string)removed["resourceId"]!, (string)removed["outcome"]!));
        Assert.Equal(("ada@example.com", "reader"), ((string)removed["details"]!["before"]!["email"]!, (string)removed["details"]!["before"]!["role"]!));
        Assert.Null(removed["details"]!["after"]);
        var runs = (await admin.GetFromJsonAsync<JsonObject>("admin/audit?kind=reconcile.run&target=openai-main&limit=500"))!["events"]!.AsArray();
        Assert.Contains(runs, r => (string)r!["resourceId"]! == (string)removed["details"]!["runId"]! && (string)r["details"]!["trigger"]! == "scim");
    }

    [Fact]
    public async Task A_run_that_would_change_a_target_waits_while_another_replica_holds_that_target()
    {
        // The lease another replica's run would hold (on PostgreSQL an advisory lock of its own session).
        var election = _bridge.Services.GetRequiredService<ILeaderElection>();
        var reconciler = _bridge.Services.GetRequiredService<Reconciler>();
        Task<IReadOnlyList<TargetRunReport>> run;
        await using (var held = await election.TryAcquireAsync("reconcile.target:openai-main", CancellationToken.None))
        {
            Assert.NotNull(held);
            var userId = await _bridge.CreateUserAsync("cy@example.com");
            await _bridge.CreateGroupAsync("AI-OpenAI-Research", userId);
            run = reconciler.ReconcileAsync(new ReconcileRequest("openai-main", ReconcileScope.Full, DryRun: false, "test"), CancellationToken.None);

            // Ten lease polls later neither this run nor the worker's has touched OpenAI.
            await Task.Delay(Reconciler.LeasePollInterval * 10);
            Assert.False(run.IsCompleted);
            Assert.Equal(0, _openai.Platform.InviteCount("cy@example.com"));

            // A dry run changes nothing, so it does not wait for the target.
            var preview = await reconciler.ReconcileAsync(new ReconcileRequest("openai-main", ReconcileScope.Full, DryRun: true, "test"), CancellationToken.None);
            Assert.Contains(Assert.Single(preview).Planned, s => s.Kind == StepKind.InviteAccount && s.Email == "cy@example.com");
        }

        Assert.Equal(RunStatus.Applied, Assert.Single(await run).Status);
        await Eventually(() => _openai.Platform.InviteCount("cy@example.com") == 1);
    }

    [Fact]
    public async Task The_drift_report_shows_the_newest_full_pass_and_what_is_new_since_the_one_before()
    {
        using var admin = new HttpClient { BaseAddress = _bridge.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        _openai.Platform.AddUsers(1); // shadow access

        (await admin.PostAsJsonAsync("admin/reconcile", new { target = "openai-main", dryRun = true })).EnsureSuccessStatusCode();
        var first = Assert.Single((await admin.GetFromJsonAsync<JsonObject>("admin/reports/drift?target=openai-main"))!["targets"]!.AsArray())!;
        Assert.Equal("openai", (string)first["platform"]!);
        Assert.Equal(1, (int)first["counts"]!["unownedAccounts"]!);
        Assert.True((bool)first["items"]!.AsArray().Single(i => (string)i!["kind"]! == "unownedAccount")!["new"]!);

        // A SCIM change's scoped run is not a full pass: it does not replace the report's run.
        var userId = await _bridge.CreateUserAsync("dee@example.com");
        await _bridge.CreateGroupAsync("AI-OpenAI-Research", userId);
        await Eventually(() => _openai.Platform.InviteCount("dee@example.com") == 1);
        (await admin.PostAsJsonAsync("admin/reconcile", new { target = "openai-main", dryRun = true })).EnsureSuccessStatusCode();

        var second = Assert.Single((await admin.GetFromJsonAsync<JsonObject>("admin/reports/drift?target=openai-main"))!["targets"]!.AsArray())!;
        Assert.Equal((string)first["runId"]!, (string)second["previousRunId"]!);
        Assert.False((bool)second["items"]!.AsArray().Single(i => (string)i!["kind"]! == "unownedAccount")!["new"]!);
        Assert.Contains(second["items"]!.AsArray(), i => (string)i!["kind"]! == "pendingInvite" && (string)i["subject"]! == "dee@example.com" && (bool)i["new"]!);
        Assert.Equal(0, (int)second["sincePrevious"]!["resolved"]!);

        var csv = await admin.GetStringAsync("admin/reports/drift?target=openai-main&format=csv");
        Assert.StartsWith("target,platform,runId,runStarted,kind,subject,detail,new\r\n", csv, StringComparison.Ordinal);
        Assert.Contains(",pendingInvite,dee@example.com,", csv, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync("admin/reports/drift?target=gemini")).StatusCode);
    }

    [Fact]
    public async Task An_operator_dry_run_reports_drift_and_changes_nothing()
    {
        using var admin = new HttpClient { BaseAddress = _bridge.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        _openai.Platform.AddUsers(1); // an account no IdP identity owns: shadow access

        using var response = await admin.PostAsJsonAsync("admin/reconcile", new { target = "openai-main", dryRun = true });
        response.EnsureSuccessStatusCode();
        var reports = (await response.Content.ReadFromJsonAsync<JsonArray>())!;

        var report = Assert.Single(reports)!;
        Assert.Equal("observed", (string)report["status"]!);
        Assert.Contains(report["drift"]!.AsArray(), d => (string)d!["kind"]! == "unownedAccount");
        Assert.Equal(1, _openai.Platform.UserCount);

        using var unauthenticated = new HttpClient { BaseAddress = _bridge.Root };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await unauthenticated.PostAsJsonAsync("admin/reconcile", new { dryRun = true })).StatusCode);
    }

    [Fact]
    public async Task A_candidate_policy_is_previewed_without_changing_anything_and_a_broken_one_is_refused_with_its_line()
    {
        using var admin = new HttpClient { BaseAddress = _bridge.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        await _bridge.CreateUserAsync("bob@example.com"); // in no group: the policy in force grants him nothing

        const string Candidate = "targets:\n  openai-main: {mode: enforce}\nrules:\n  - name: everyone\n    match: {everyone: true}\n    grant: {openai-main: {orgRole: reader}}\n";
        using var preview = await admin.PostAsJsonAsync("admin/reconcile", new { policy = Candidate });
        preview.EnsureSuccessStatusCode();
        var report = Assert.Single((await preview.Content.ReadFromJsonAsync<JsonArray>())!)!;
        Assert.Equal("observed", (string)report["status"]!);
        Assert.Contains(report["planned"]!.AsArray(), s => (string)s!["kind"]! == "inviteAccount" && (string)s["email"]! == "bob@example.com");
        await Task.Delay(500); // give the worker time to act on bob's SCIM change, which the policy in force ignores
        Assert.Equal(0, _openai.Platform.InviteCount("bob@example.com"));

        using var broken = await admin.PostAsJsonAsync("admin/reconcile", new { policy = "targets:\n  openai-main: {mode: always}\nrules: []\n" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, broken.StatusCode);
        var problem = (await broken.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, (int)problem["errors"]![0]!["line"]!);
    }

    [Fact]
    public async Task The_preview_shows_an_identitys_access_on_each_target_and_why()
    {
        using var admin = new HttpClient { BaseAddress = _bridge.Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var userId = await _bridge.CreateUserAsync("grace@example.com");
        await _bridge.CreateGroupAsync("AI-OpenAI-Research", userId);

        using var response = await admin.PostAsJsonAsync("admin/policy/preview", new { connection = _bridge.ConnectionName, userName = "GRACE@example.com" });
        response.EnsureSuccessStatusCode();
        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var openai = preview["access"]!["openai-main"]!;
        Assert.Equal("reader", (string)openai["organizationRole"]!);
        Assert.Equal("member", (string)openai["containers"]!["research"]!);
        Assert.Contains(openai["reasons"]!.AsArray(), r => (string)r!["rule"]! == "research" && (string)r["group"]! == "AI-OpenAI-Research");
        Assert.Equal("user", (string)preview["access"]!["anthropic"]!["organizationRole"]!);

        using var missing = await admin.PostAsJsonAsync("admin/policy/preview", new { connection = _bridge.ConnectionName, userName = "nobody@example.com" });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<JsonObject> OpenAIInviteAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_openai.BaseUrl.AbsoluteUri.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpenAIKey);
        var list = (await http.GetFromJsonAsync<JsonObject>("organization/invites?limit=100"))!;
        return list["data"]!.AsArray().Select(i => i!.AsObject()).Single(i => (string)i["email"]! == email);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
