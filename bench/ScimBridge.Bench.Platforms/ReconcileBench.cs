using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScimBridge.Simulators.Anthropic;
using ScimBridge.Simulators.Cursor;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Bench.Platforms;

/// <summary>
/// Reconciliation at scale (bench/reconcile.sh): N identities in a real scimbridge (SQLite), the same N people on three
/// simulated platforms. Measures (1) a full dry-run reconciliation by the CLI, wall time and peak RSS of that process;
/// (2) leaver latency: SCIM active=false until the last platform has removed the account, with the simulators
/// answering every call after a fixed latency.
/// </summary>
internal static class ReconcileBench
{
    private const string Secret = "bench-scim-secret-0123456789abcdefghijklmnopqrstuv";
    private const string OperatorToken = "bench-operator-token";

    public static async Task<int> RunAsync(string scimbridge, int identities, int leavers, int latencyMs)
    {
        var data = Directory.CreateTempSubdirectory("scimbridge-reconcile-bench-").FullName;
        var openai = new OpenAISimulator(TimeProvider.System);
        openai.Seed(new MemoryStream(Encoding.UTF8.GetBytes("""{"users":[{"object":"organization.user","id":"user-owner","name":"Owner","email":"owner@example.org","role":"owner","added_at":1711471533}]}""")));
        openai.AddUsers(identities); // gen-0000000@example.com …
        var anthropic = new AnthropicSimulator(TimeProvider.System);
        var cursor = new CursorSimulator(TimeProvider.System);
        cursor.UpsertMember(new CursorSimMember("user_owner", "Owner", "owner@example.org", "owner"));
        for (var i = 0; i < identities; i++)
        {
            var email = Email(i);
            anthropic.AddUser(email, $"Generated {i}");
            cursor.UpsertMember(new CursorSimMember($"user_{i:D7}", $"Generated {i}", email, "member"));
        }

        await using var openaiSim = await SimulatorHost.StartAsync(openai, "sk-admin-bench");
        await using var anthropicSim = await SimulatorHost.StartAsync(anthropic, "sk-ant-admin01-bench");
        await using var cursorSim = await SimulatorHost.StartAsync(cursor, "key_bench");
        foreach (var control in new[] { openaiSim.Control, anthropicSim.Control, cursorSim.Control })
        {
            control.RecordRequests = false;
        }

        var policy = Path.Combine(data, "policy.yaml");
        await File.WriteAllTextAsync(policy, """
            targets:
              openai: {mode: enforce}
              anthropic: {mode: enforce}
              cursor: {mode: enforce}
            rules:
              - name: everyone
                match: {everyone: true}
                grant: {openai: {orgRole: reader}, anthropic: {orgRole: user}, cursor: {}}
            """);
        string[] config =
        [
            $"--Storage:DataDirectory={data}", "--Storage:ConnectionString=", "--Logging:LogLevel:Default=Warning",
            "--Connections:Declared:0:Name=bench", "--Connections:Declared:0:Kind=entra", "--Connections:Declared:0:SecretEnvironmentVariable=BENCH_SCIM_SECRET",
            "--Platforms:Targets:openai:Platform=openai", $"--Platforms:Targets:openai:BaseUrl={openaiSim.BaseUrl.AbsoluteUri}", "--Platforms:Targets:openai:ApiKey=sk-admin-bench",
            "--Platforms:Targets:anthropic:Platform=anthropic", $"--Platforms:Targets:anthropic:BaseUrl={anthropicSim.BaseUrl.AbsoluteUri}", "--Platforms:Targets:anthropic:ApiKey=sk-ant-admin01-bench",
            "--Platforms:Targets:cursor:Platform=cursor", $"--Platforms:Targets:cursor:BaseUrl={cursorSim.BaseUrl.AbsoluteUri}", "--Platforms:Targets:cursor:ApiKey=key_bench",
            // The simulators answer without limits here: the bench measures ScimBridge, not Cursor's 20-a-minute budget.
            "--Platforms:Targets:cursor:RequestsPerMinute=0",
            "--Platforms:Targets:openai:PageSize=100", "--Platforms:Targets:anthropic:PageSize=1000",
            $"--Reconciliation:PolicyPath={policy}", $"--Admin:Token={OperatorToken}",
        ];

        // 1. Seed the IdP side with the worker off (a bulk load is not 100,000 joiners).
        var port = FreePort();
        using (var seeding = Start(scimbridge, [.. config, "--urls", $"http://127.0.0.1:{port}", "--Reconciliation:Worker=false"]))
        {
            using var scim = await ReadyClientAsync(port);
            var seedWatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, identities), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                using var body = new StringContent(
                    $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{Email(i)}}","active":true,"emails":[{"primary":true,"value":"{{Email(i)}}"}]}""",
                    Encoding.UTF8, "application/scim+json");
                (await scim.PostAsync("Users", body, ct)).EnsureSuccessStatusCode();
            });
            Report("seed", new { identities, seconds = seedWatch.Elapsed.TotalSeconds });
            seeding.Kill(entireProcessTree: true);
            await seeding.WaitForExitAsync();
        }

        // 2. A full dry-run pass by the CLI: every identity against every target.
        foreach (var control in new[] { openaiSim.Control, anthropicSim.Control, cursorSim.Control })
        {
            control.SetFaults(new FaultSettings(LatencyMilliseconds: 0));
        }

        var (seconds, peakMb, exit) = await MeasureAsync(scimbridge, ["reconcile", "--dry-run", .. config, "--Reconciliation:Worker=false"]);
        Report("full-pass", new { identities, targets = 3, platformLatencyMs = 0, seconds, peakRssMb = peakMb, exit });

        // 3. Leaver latency with every platform answering after latencyMs.
        foreach (var control in new[] { openaiSim.Control, anthropicSim.Control, cursorSim.Control })
        {
            control.SetFaults(new FaultSettings(LatencyMilliseconds: latencyMs));
        }

        port = FreePort();
        await MarkSeedingSettledAsync(data);
        using var serving = Start(scimbridge, [.. config, "--urls", $"http://127.0.0.1:{port}", "--Reconciliation:PollInterval=00:00:00.020", "--Reconciliation:FullPassInterval=7.00:00:00"]);
        using var client = await ReadyClientAsync(port);
        var latencies = new List<double>();
        for (var n = 0; n < leavers; n++)
        {
            var email = Email(n);
            var id = await UserIdAsync(client, email);
            var accountId = $"user-gen-{n:D7}";
            var watch = Stopwatch.StartNew();
            using var patch = new StringContent("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""", Encoding.UTF8, "application/scim+json");
            (await client.PatchAsync($"Users/{id}", patch)).EnsureSuccessStatusCode();
            while (openai.UserExists(accountId) || cursor.Member(email) is { IsRemoved: false } || anthropic.FindUserByEmail(email) is not null)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"leaver {email} not removed after 5 minutes");
                }

                await Task.Delay(5);
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        Report("leaver-latency", new
        {
            identities, leavers, platformLatencyMs = latencyMs,
            p50Ms = latencies[latencies.Count / 2], p95Ms = latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1], maxMs = latencies[^1],
        });
        serving.Kill(entireProcessTree: true);
        return 0;
    }

    private static string Email(int i) => $"gen-{i.ToString("D7", CultureInfo.InvariantCulture)}@example.com";

    private static void Report(string what, object figures) =>
        Console.WriteLine(what + " " + JsonSerializer.Serialize(figures));

    private static Process Start(string scimbridge, string[] args)
    {
        var start = new ProcessStartInfo(scimbridge) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["BENCH_SCIM_SECRET"] = Secret;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Wall time and peak RSS (VmHWM, read from /proc while it runs) of one command.
    private static async Task<(double Seconds, double PeakMb, int Exit)> MeasureAsync(string scimbridge, string[] args)
    {
        var watch = Stopwatch.StartNew();
        using var process = Start(scimbridge, args);
        double peak = 0;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    peak = Math.Max(peak, double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
                }
            }
            catch (IOException)
            {
            }

            await Task.Delay(50);
        }

        return (watch.Elapsed.TotalSeconds, peak, process.ExitCode);
    }

    private static async Task<HttpClient> ReadyClientAsync(int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/scim/v2/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode)
                {
                    return client;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("scimbridge did not start");
    }

    // The seeding queued one identity change per user: a bulk load, already in place on the platforms (the full pass
    // shows no drift). Settle them so the leaver timings measure leavers, not a 100,000-item backlog.
    private static async Task MarkSeedingSettledAsync(string data)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "scimbridge.db")}");
        await db.OpenAsync();
        using var command = db.CreateCommand();
        command.CommandText = "UPDATE work_items SET state = 'done' WHERE state = 'pending'";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> UserIdAsync(HttpClient client, string email)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"Users?filter=userName eq \"{email}\"&attributes=id");
        return page.GetProperty("Resources")[0].GetProperty("id").GetString()!;
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
