using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Simulators.Anthropic;
using ScimBridge.Simulators.Cursor;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>
/// ScimBridge as a real process (scimbridge.dll, SQLite in a temp folder, an IdP connection declared in configuration)
/// with the OpenAI, Anthropic and Cursor simulators as enforced targets of one policy. The process can be killed and
/// started again on the same store, as a crash and a restart.
/// </summary>
public sealed class BridgeWithSimulators : IAsyncDisposable
{
    public const string OperatorToken = "operator-e2e-token-0123456789";
    public const string ScimSecret = "scim-e2e-secret-0123456789abcdefghijklmnop";

    public const string Policy = """
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

    private readonly string _data = Directory.CreateTempSubdirectory("scimbridge-e2e-").FullName;
    private Process? _process;

    private BridgeWithSimulators(RunningSimulator<OpenAISimulator> openai, RunningSimulator<AnthropicSimulator> anthropic, RunningSimulator<CursorSimulator> cursor)
    {
        OpenAI = openai;
        Anthropic = anthropic;
        Cursor = cursor;
    }

    public RunningSimulator<OpenAISimulator> OpenAI { get; }

    public RunningSimulator<AnthropicSimulator> Anthropic { get; }

    public RunningSimulator<CursorSimulator> Cursor { get; }

    public Uri Root { get; private set; } = null!;

    /// <summary>A SCIM client of the declared connection (/scim/v2/).</summary>
    public HttpClient Scim { get; private set; } = null!;

    public static async Task<BridgeWithSimulators> StartSimulatorsAsync()
    {
        var openai = new OpenAISimulator(TimeProvider.System);
        openai.Seed(Json("""
            {"users":[{"object":"organization.user","id":"user-olivia","name":"Olivia","email":"olivia@contoso.com","role":"owner","added_at":1711471533}],
             "projects":[{"object":"organization.project","id":"proj_research","name":"research","created_at":1711471533,"archived_at":null,"status":"active"}]}
            """));
        var cursor = new CursorSimulator(TimeProvider.System);
        cursor.Seed(Json("""{"teamMembers":[{"id":"user_olivia0000000000000000001","name":"Olivia","email":"olivia@contoso.com","role":"owner","isRemoved":false}]}"""));
        return new BridgeWithSimulators(
            await SimulatorHost.StartAsync(openai, "sk-admin-e2e"),
            await SimulatorHost.StartAsync(new AnthropicSimulator(TimeProvider.System), "sk-ant-admin01-e2e"),
            await SimulatorHost.StartAsync(cursor, "key_e2e"));
    }

    /// <summary>Starts (or restarts, on the same store) the scimbridge process and waits until it is ready.</summary>
    public async Task StartBridgeAsync(params string[] extraArgs)
    {
        var policy = Path.Combine(_data, "policy.yaml");
        await File.WriteAllTextAsync(policy, Policy);
        var port = FreePort();
        Root = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _data };
        start.Environment["E2E_SCIM_SECRET"] = ScimSecret;
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "scimbridge.dll"),
            "--urls", Root.AbsoluteUri.TrimEnd('/'), $"--Storage:DataDirectory={_data}", "--Storage:ConnectionString=", "--Logging:LogLevel:Default=Warning",
            "--Connections:Declared:0:Name=e2e", "--Connections:Declared:0:Kind=entra", "--Connections:Declared:0:SecretEnvironmentVariable=E2E_SCIM_SECRET",
            "--Platforms:Targets:openai:Platform=openai", $"--Platforms:Targets:openai:BaseUrl={OpenAI.BaseUrl.AbsoluteUri}", "--Platforms:Targets:openai:ApiKey=sk-admin-e2e",
            "--Platforms:Targets:anthropic:Platform=anthropic", $"--Platforms:Targets:anthropic:BaseUrl={Anthropic.BaseUrl.AbsoluteUri}", "--Platforms:Targets:anthropic:ApiKey=sk-ant-admin01-e2e",
            "--Platforms:Targets:cursor:Platform=cursor", $"--Platforms:Targets:cursor:BaseUrl={Cursor.BaseUrl.AbsoluteUri}", "--Platforms:Targets:cursor:ApiKey=key_e2e",
            "--Platforms:Targets:cursor:RequestsPerMinute=600",
            $"--Platforms:Targets:cursor:Scim:BaseUrl={new Uri(Cursor.Root, "scim/v2").AbsoluteUri}", "--Platforms:Targets:cursor:Scim:Token=sim-scim-token",
            $"--Reconciliation:PolicyPath={policy}", "--Reconciliation:PollInterval=00:00:00.050", "--Reconciliation:PendingInviteRecheck=00:00:00.500",
            $"--Admin:Token={OperatorToken}",
            .. extraArgs,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Root, "health/ready"))).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !_process.HasExited)
            {
            }

            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException(
                    $"scimbridge did not start (exit {(_process.HasExited ? _process.ExitCode : -1)}): {string.Join(Environment.NewLine, errors.Take(20))}");
            }

            await Task.Delay(100);
        }

        Scim = new HttpClient { BaseAddress = new Uri(Root, "scim/v2/") };
        Scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ScimSecret);
    }

    /// <summary>SIGKILL: no graceful shutdown, leases left as they were.</summary>
    public async Task KillBridgeAsync()
    {
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Waits until a dry run plans nothing on any target (the worker got there by itself), or fails with the plan.</summary>
    public async Task ConvergedAsync(TimeSpan? within = null)
    {
        using var admin = new HttpClient { BaseAddress = Root };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var deadline = Stopwatch.StartNew();
        JsonArray reports;
        do
        {
            await Task.Delay(100);
            using var response = await admin.PostAsJsonAsync("admin/reconcile", new { dryRun = true });
            response.EnsureSuccessStatusCode();
            reports = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            if (reports.All(r => r!["planned"]!.AsArray().Count == 0 && (string)r["status"]! == "observed"))
            {
                return;
            }
        }
        while (deadline.Elapsed < (within ?? TimeSpan.FromSeconds(60)));

        Assert.Fail("Reconciliation did not converge; the last dry run still plans: " + reports.ToJsonString());
    }

    /// <summary>What the invitees do: accept every pending OpenAI and Anthropic invitation.</summary>
    public async Task AcceptInvitesAsync()
    {
        foreach (var invite in (await StateAsync(OpenAI))["invites"]!.AsArray().Where(i => (string)i!["status"]! == "pending"))
        {
            OpenAI.Platform.AcceptInvite((string)invite!["id"]!);
        }

        foreach (var invite in Anthropic.Platform.Invites.Where(i => i.Status == "pending"))
        {
            Anthropic.Platform.AcceptInvite(invite.Id, invite.Email.Split('@')[0]);
        }
    }

    public static async Task<JsonObject> StateAsync<T>(RunningSimulator<T> sim)
        where T : ISimulatedPlatform
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonObject>(new Uri(sim.Root, "_sim/state")))!;
    }

    public static List<string> Lines(JsonNode? array, Func<JsonNode, string> line, Func<JsonNode, bool>? where = null) =>
        [.. array!.AsArray().Select(n => n!).Where(n => where is null || where(n)).Select(line).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillBridgeAsync();
        }

        Scim?.Dispose();
        await OpenAI.DisposeAsync();
        await Anthropic.DisposeAsync();
        await Cursor.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may hold the file a moment longer; the temp folder is the OS's to clean then.
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));
}
