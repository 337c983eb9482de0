using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimBridge.Bench;

/// <summary>
/// The whole run: baseline + scimbridge processes, seeding over HTTP, wrk throughput, sequential member-add
/// latency, RSS, and the markdown report.
/// </summary>
internal sealed class BenchRunner(BenchOptions options)
{
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly List<string> _log = [];
    private readonly string _work = Directory.CreateTempSubdirectory("scimbridge-bench-").FullName;

    public async Task<int> RunAsync()
    {
        Process? ping = null;
        Process? server = null;
        try
        {
            var pingPort = FreePort();
            ping = Start(Environment.ProcessPath!, ["ping", "--urls", $"http://127.0.0.1:{pingPort}"], Path.Combine(_work, "ping.log"));
            var dataDir = Directory.CreateDirectory(Path.Combine(_work, "data")).FullName;
            var secret = await CreateConnectionAsync(dataDir);
            var port = FreePort();
            server = Start(options.ScimBridge, ["--urls", $"http://127.0.0.1:{port}", $"--Storage:DataDirectory={dataDir}"], Path.Combine(_work, "server.log"));
            var pingUrl = $"http://127.0.0.1:{pingPort}";
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitReadyAsync(new Uri($"{pingUrl}/ping"), null);
            await WaitReadyAsync(new Uri($"{baseUrl}/scim/v2/ServiceProviderConfig"), secret);
            Say($"baseline pid {ping.Id} on {pingUrl}; scimbridge pid {server.Id} on {baseUrl}; data {dataDir}");

            using var http = Client(baseUrl, secret);
            var report = new Report(options);

            // 1. Seed users with concurrent POSTs (HttpClient workers).
            var userNames = Enumerable.Range(0, options.Users).Select(i => $"bench.user{i:D6}@example.com").ToArray();
            var userIds = new string[options.Users];
            var seed = await TimedAsync(() => ForAllAsync(options.Users, options.SeedWorkers, async i =>
                userIds[i] = await CreateAsync(http, "Users", UserBody(userNames[i], i))));
            report.SeedUsersSeconds = seed.TotalSeconds;
            Say($"seeded {options.Users} users in {seed.TotalSeconds:F1}s ({options.Users / seed.TotalSeconds:F0}/s, {options.SeedWorkers} HttpClient workers)");

            // 2. Groups with five members each, then one big group built by PATCH add in batches.
            var random = new Random(42);
            var groupMembers = Enumerable.Range(0, options.Groups).Select(_ => Enumerable.Range(0, 5).Select(_ => userIds[random.Next(options.Users)]).Distinct().ToArray()).ToArray();
            var groups = await TimedAsync(() => ForAllAsync(options.Groups, options.SeedWorkers, async i =>
                await CreateAsync(http, "Groups", GroupBody($"bench-group-{i:D4}", groupMembers[i]))));
            report.SeedGroupsSeconds = groups.TotalSeconds;
            Say($"seeded {options.Groups} groups in {groups.TotalSeconds:F1}s ({options.Groups / groups.TotalSeconds:F0}/s)");
            var bigGroupId = await CreateAsync(http, "Groups", GroupBody("bench-big-group", []));
            var bigGroupSize = Math.Min(options.BigGroup, options.Users - options.MemberAdds - 100);
            var build = await TimedAsync(async () =>
            {
                foreach (var batch in userIds.Take(bigGroupSize).Chunk(options.BigGroupBatch))
                {
                    await PatchAsync(http, bigGroupId, AddMembers(batch));
                }
            });
            report.BigGroupSize = await MemberCountAsync(http, bigGroupId);
            report.BigGroupBuildSeconds = build.TotalSeconds;
            Say($"big group: {report.BigGroupSize} members via PATCH add in batches of {options.BigGroupBatch}, {build.TotalSeconds:F1}s");
            if (report.BigGroupSize != bigGroupSize)
            {
                throw new InvalidOperationException($"The big group has {report.BigGroupSize} members, expected {bigGroupSize}.");
            }

            // 3. Read throughput with wrk: baseline, GET by id, GET by userName filter (same wrk settings each).
            var idsFile = Path.Combine(_work, "ids.txt");
            var namesFile = Path.Combine(_work, "usernames.txt");
            await File.WriteAllLinesAsync(idsFile, userIds);
            await File.WriteAllLinesAsync(namesFile, userNames.Select(Uri.EscapeDataString));
            await SanityAsync(http, userIds, userNames);

            report.Ping = await MeasureAsync("GET /ping (minimal Kestrel)", pingUrl, Lua.Get(null, "/ping", null));
            report.GetById = await MeasureAsync("GET /Users/{id}", baseUrl, Lua.Get(secret, "/scim/v2/Users/", idsFile));
            report.Filter = await MeasureAsync("GET /Users?filter=userName eq", baseUrl, Lua.Get(secret, "/scim/v2/Users?filter=userName%20eq%20%22", namesFile, "%22"));

            // Diagnostic only (no target): authentication + SCIM pipeline + JSON with no database read.
            report.Discovery = await MeasureAsync("GET /ServiceProviderConfig (diagnostic: no DB)", baseUrl, Lua.Get(secret, "/scim/v2/ServiceProviderConfig", null));

            // 4. Member add to the big group: sequential single-member PATCH adds, timed client-side.
            var candidates = userIds.Skip(bigGroupSize).ToArray();
            foreach (var id in candidates.TakeLast(50))
            {
                await PatchAsync(http, bigGroupId, AddMembers([id])); // warm-up, not timed
            }

            var latencies = new double[options.MemberAdds];
            for (var k = 0; k < options.MemberAdds; k++)
            {
                var started = Stopwatch.GetTimestamp();
                await PatchAsync(http, bigGroupId, AddMembers([candidates[k]]));
                latencies[k] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            report.MemberAdd = Latency.From(latencies);
            report.BigGroupSizeAfter = await MemberCountAsync(http, bigGroupId);
            Say($"member add: p50 {report.MemberAdd.P50:F2} ms, p99 {report.MemberAdd.P99:F2} ms, max {report.MemberAdd.Max:F2} ms; group now {report.BigGroupSizeAfter}");

            (report.RssBeforePostMb, _) = Rss(server.Id);
            Say($"scimbridge VmRSS {report.RssBeforePostMb:F0} MB before the POST measurement ({options.Users} users in store); {RssBreakdown(server.Id)}");

            // 5. POST /Users throughput with wrk (unique userNames from the Lua script), after the reads so they saw exactly the seeded store.
            report.Post = await MeasureAsync("POST /Users", baseUrl, Lua.Post(secret, "wrkwarm"), Lua.Post(secret, "wrk"));

            // 6. Memory of the server after all of the above.
            (report.RssMb, report.HwmMb) = Rss(server.Id);
            report.UsersAtEnd = await TotalAsync(http, "Users");
            Say($"scimbridge VmRSS {report.RssMb:F0} MB (VmHWM {report.HwmMb:F0} MB), users in store {report.UsersAtEnd}; {RssBreakdown(server.Id)}");

            report.Log.AddRange(_log);
            var markdown = report.ToMarkdown(await MachineAsync());
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Results))!);
            await File.WriteAllTextAsync(options.Results, markdown);
            Console.WriteLine();
            Console.WriteLine(report.Table());
            Console.WriteLine($"Written to {Path.GetFullPath(options.Results)}");
            return report.AllTargetsMet ? 0 : 1;
        }
        finally
        {
            Stop(server);
            Stop(ping);
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    private async Task<WrkResult> MeasureAsync(string name, string url, string script, string? measuredScript = null)
    {
        await Wrk.RunAsync(options.Wrk, url, script, options.Threads, options.Connections, options.Warmup);
        var result = await Wrk.RunAsync(options.Wrk, url, measuredScript ?? script, options.Threads, options.Connections, options.Duration);
        Say($"{name}: {result.RequestsPerSecond:F0} req/s ({result.Requests} requests, non-2xx {result.Non2xx}, socket errors {result.SocketErrors}), p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms");
        if (result.Non2xx > 0 || result.SocketErrors > 0)
        {
            throw new InvalidOperationException($"{name}: wrk saw errors.\n{result.Output}");
        }

        return result;
    }

    private async Task<string> CreateConnectionAsync(string dataDir)
    {
        var start = new ProcessStartInfo(options.ScimBridge) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "connections", "create", "--name", "bench", "--kind", "generic", $"--Storage:DataDirectory={dataDir}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Secret token", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"scimbridge connections create failed ({process.ExitCode}):\n{output}\n{await stderr}");
        }

        return line[(line.LastIndexOf(' ') + 1)..].Trim();
    }

    private static HttpClient Client(string baseUrl, string secret)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"{baseUrl}/scim/v2/"), Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/scim+json"));
        return client;
    }

    private static async Task ForAllAsync(int count, int workers, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }

    private static async Task<TimeSpan> TimedAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<string> CreateAsync(HttpClient http, string resource, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json");
        using var response = await http.PostAsync(resource, content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {resource}: {(int)response.StatusCode} {text}");
        }

        return (string)JsonNode.Parse(text)!["id"]!;
    }

    private static async Task PatchAsync(HttpClient http, string groupId, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Groups/{groupId}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json"),
        };
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PATCH Groups/{groupId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<int> MemberCountAsync(HttpClient http, string groupId)
    {
        var json = JsonNode.Parse(await http.GetStringAsync($"Groups/{groupId}?attributes=members"))!;
        return json["members"]?.AsArray().Count ?? 0;
    }

    private static async Task<int> TotalAsync(HttpClient http, string resource) =>
        (int)JsonNode.Parse(await http.GetStringAsync($"{resource}?count=0"))!["totalResults"]!;

    private static async Task SanityAsync(HttpClient http, string[] ids, string[] names)
    {
        var byId = JsonNode.Parse(await http.GetStringAsync($"Users/{ids[^1]}"))!;
        var filter = JsonNode.Parse(await http.GetStringAsync($"Users?filter={Uri.EscapeDataString($"userName eq \"{names[^1]}\"")}"))!;
        if ((string?)byId["userName"] != names[^1] || (int)filter["totalResults"]! != 1 || (string?)filter["Resources"]![0]!["id"] != ids[^1])
        {
            throw new InvalidOperationException($"Sanity check failed: {byId.ToJsonString()} / {filter.ToJsonString()}");
        }
    }

    private static JsonObject UserBody(string userName, int i) => new()
    {
        ["schemas"] = new JsonArray(UserSchema),
        ["userName"] = userName,
        ["externalId"] = $"ext-{i:D6}",
        ["active"] = true,
        ["displayName"] = $"Bench User {i}",
        ["name"] = new JsonObject { ["givenName"] = "Bench", ["familyName"] = $"User{i}" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
    };

    private static JsonObject GroupBody(string displayName, string[] members) => new()
    {
        ["schemas"] = new JsonArray(GroupSchema),
        ["displayName"] = displayName,
        ["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["value"] = m })]),
    };

    private static JsonObject AddMembers(string[] ids) => new()
    {
        ["schemas"] = new JsonArray(PatchSchema),
        ["Operations"] = new JsonArray(new JsonObject
        {
            ["op"] = "add",
            ["path"] = "members",
            ["value"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
        }),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string file, string[] arguments, string logFile)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private static async Task WaitReadyAsync(Uri url, string? secret)
    {
        using var http = new HttpClient();
        if (secret is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{url} did not become ready.");
    }

    private static (double RssMb, double HwmMb) Rss(int pid)
    {
        double Field(string[] lines, string name) =>
            double.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024;
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    /// <summary>Where the RSS is: anonymous memory (managed heap, native allocations) versus mapped files and shared memory.</summary>
    private static string RssBreakdown(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"RssAnon {Field("RssAnon")}, RssFile {Field("RssFile")}, RssShmem {Field("RssShmem")}";
    }

    private static async Task<string> MachineAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var wrkVersion = await CaptureAsync("wrk", "-v");
        return $"nproc {Environment.ProcessorCount}; CPU {cpu}; {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; "
            + $".NET {Environment.Version}; {wrkVersion.Split('\n')[0].Trim()}";
    }

    private static async Task<string> CaptureAsync(string file, string argument)
    {
        try
        {
            var start = new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{file}: not found";
        }
    }

    private void Say(string line)
    {
        var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {line}";
        _log.Add(stamped);
        Console.WriteLine(stamped);
    }
}
