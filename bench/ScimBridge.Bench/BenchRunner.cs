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
        var servers = new List<Process>();
        var clients = new List<HttpClient>();
        string? database = null;
        try
        {
            var pingPort = FreePort();
            ping = Start(Environment.ProcessPath!, ["ping", "--urls", $"http://127.0.0.1:{pingPort}"], Path.Combine(_work, "ping.log"));
            var dataDir = Directory.CreateDirectory(Path.Combine(_work, "data")).FullName;
            string[] storage = [$"--Storage:DataDirectory={dataDir}"];
            if (!string.IsNullOrWhiteSpace(options.Postgres))
            {
                (database, var connectionString) = await Postgres.CreateDatabaseAsync(options.Postgres);
                storage = [.. storage, $"--Storage:ConnectionString={connectionString}"];
                Say($"PostgreSQL database {database} created ({Postgres.Describe(connectionString)})");
            }

            var secret = await CreateConnectionAsync(storage);
            var baseUrls = new List<string>();
            for (var r = 0; r < options.Replicas; r++)
            {
                // Every replica on its own free port and data folder; with --postgres they share the one database.
                var port = FreePort();
                var replicaStorage = r == 0 ? storage : [$"--Storage:DataDirectory={Directory.CreateDirectory(Path.Combine(_work, $"data{r}")).FullName}", .. storage[1..]];
                servers.Add(Start(options.ScimBridge, ["--urls", $"http://127.0.0.1:{port}", .. replicaStorage], Path.Combine(_work, $"server{r}.log")));
                baseUrls.Add($"http://127.0.0.1:{port}");
            }

            var pingUrl = $"http://127.0.0.1:{pingPort}";
            await WaitReadyAsync(new Uri($"{pingUrl}/ping"), null);
            foreach (var url in baseUrls)
            {
                await WaitReadyAsync(new Uri($"{url}/scim/v2/ServiceProviderConfig"), secret);
            }

            Say($"baseline pid {ping.Id} on {pingUrl}; "
                + string.Join("; ", servers.Select((s, r) => $"scimbridge replica {r} pid {s.Id} on {baseUrls[r]}"))
                + $"; storage {(database is null ? $"SQLite in {dataDir}" : $"PostgreSQL database {database}")}");

            clients.AddRange(baseUrls.Select(url => Client(url, secret)));
            var http = clients[0];
            HttpClient Replica(int i) => clients[i % clients.Count];
            var report = new Report(options) { Storage = database is null ? "SQLite" : $"PostgreSQL ({Postgres.ServerVersion})" };

            // 1. Seed users with concurrent POSTs (HttpClient workers), spread round-robin over the replicas.
            var userNames = Enumerable.Range(0, options.Users).Select(i => $"bench.user{i:D6}@example.com").ToArray();
            var userIds = new string[options.Users];
            var seed = await TimedAsync(() => ForAllAsync(options.Users, options.SeedWorkers, async i =>
                userIds[i] = await CreateAsync(Replica(i), "Users", UserBody(userNames[i], i))));
            report.SeedUsersSeconds = seed.TotalSeconds;
            Say($"seeded {options.Users} users in {seed.TotalSeconds:F1}s ({options.Users / seed.TotalSeconds:F0}/s, {options.SeedWorkers} HttpClient workers over {clients.Count} replica(s))");

            // 2. Groups with five members each, then one big group built by PATCH add in batches.
            var random = new Random(42);
            var groupMembers = Enumerable.Range(0, options.Groups).Select(_ => Enumerable.Range(0, 5).Select(_ => userIds[random.Next(options.Users)]).Distinct().ToArray()).ToArray();
            var groups = await TimedAsync(() => ForAllAsync(options.Groups, options.SeedWorkers, async i =>
                await CreateAsync(Replica(i), "Groups", GroupBody($"bench-group-{i:D4}", groupMembers[i]))));
            report.SeedGroupsSeconds = groups.TotalSeconds;
            Say($"seeded {options.Groups} groups in {groups.TotalSeconds:F1}s ({options.Groups / groups.TotalSeconds:F0}/s)");
            var bigGroupId = await CreateAsync(http, "Groups", GroupBody("bench-big-group", []));
            var bigGroupSize = Math.Min(options.BigGroup, options.Users - options.MemberAdds - 100);
            var build = await TimedAsync(async () =>
            {
                var b = 0;
                foreach (var batch in userIds.Take(bigGroupSize).Chunk(options.BigGroupBatch))
                {
                    await PatchAsync(Replica(b++), bigGroupId, AddMembers(batch));
                }
            });
            report.BigGroupSize = await MemberCountAsync(Replica(1), bigGroupId);
            report.BigGroupBuildSeconds = build.TotalSeconds;
            Say($"big group: {report.BigGroupSize} members via PATCH add in batches of {options.BigGroupBatch}, {build.TotalSeconds:F1}s");
            if (report.BigGroupSize != bigGroupSize)
            {
                throw new InvalidOperationException($"The big group has {report.BigGroupSize} members, expected {bigGroupSize}.");
            }

            // 3. Read throughput with wrk: baseline, GET by id, GET by userName filter (same wrk settings each).
            //    With N replicas every measurement runs N wrk processes at once (one per replica; for the baseline,
            //    N against the one /ping process) with the same per-wrk settings, and the Requests/sec are summed.
            var idsFile = Path.Combine(_work, "ids.txt");
            var namesFile = Path.Combine(_work, "usernames.txt");
            await File.WriteAllLinesAsync(idsFile, userIds);
            await File.WriteAllLinesAsync(namesFile, userNames.Select(Uri.EscapeDataString));
            foreach (var client in clients)
            {
                await SanityAsync(client, userIds, userNames);
            }

            var pingUrls = baseUrls.Select(_ => pingUrl).ToArray();
            report.Ping = await MeasureAsync("GET /ping (minimal Kestrel)", pingUrls, _ => Lua.Get(null, "/ping", null));
            report.GetById = await MeasureAsync("GET /Users/{id}", baseUrls, _ => Lua.Get(secret, "/scim/v2/Users/", idsFile));
            report.Filter = await MeasureAsync("GET /Users?filter=userName eq", baseUrls, _ => Lua.Get(secret, "/scim/v2/Users?filter=userName%20eq%20%22", namesFile, "%22"));

            // Diagnostic only (no target): authentication + SCIM pipeline + JSON with no database read.
            report.Discovery = await MeasureAsync("GET /ServiceProviderConfig (diagnostic: no DB)", baseUrls, _ => Lua.Get(secret, "/scim/v2/ServiceProviderConfig", null));

            // 4. Member add to the big group: sequential single-member PATCH adds, timed client-side, alternating replicas.
            var candidates = userIds.Skip(bigGroupSize).ToArray();
            var w = 0;
            foreach (var id in candidates.TakeLast(50))
            {
                await PatchAsync(Replica(w++), bigGroupId, AddMembers([id])); // warm-up, not timed
            }

            var latencies = new double[options.MemberAdds];
            for (var k = 0; k < options.MemberAdds; k++)
            {
                var client = Replica(k);
                var started = Stopwatch.GetTimestamp();
                await PatchAsync(client, bigGroupId, AddMembers([candidates[k]]));
                latencies[k] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            report.MemberAdd = Latency.From(latencies);
            report.BigGroupSizeAfter = await MemberCountAsync(http, bigGroupId);
            Say($"member add: p50 {report.MemberAdd.P50:F2} ms, p99 {report.MemberAdd.P99:F2} ms, max {report.MemberAdd.Max:F2} ms; group now {report.BigGroupSizeAfter}"
                + (clients.Count > 1 ? $" (alternating {clients.Count} replicas)" : ""));
            var expectedAfter = bigGroupSize + Math.Min(50, candidates.Length) + options.MemberAdds;
            if (report.BigGroupSizeAfter != expectedAfter)
            {
                throw new InvalidOperationException($"The big group has {report.BigGroupSizeAfter} members after the adds, expected {expectedAfter}.");
            }

            report.RssBeforePostMb = [.. servers.Select(s => Rss(s.Id).RssMb)];
            for (var r = 0; r < servers.Count; r++)
            {
                Say($"scimbridge replica {r} VmRSS {report.RssBeforePostMb[r]:F0} MB before the POST measurement ({options.Users} users in store); {RssBreakdown(servers[r].Id)}");
            }

            // 5. POST /Users throughput with wrk (unique userNames from the Lua script: a prefix per replica), after
            //    the reads so they saw exactly the seeded store.
            report.Post = await MeasureAsync("POST /Users", baseUrls, r => Lua.Post(secret, $"wrk-r{r}"), r => Lua.Post(secret, $"wrk-m{r}"));

            // 6. Memory of every replica after all of the above.
            var rss = servers.Select(s => Rss(s.Id)).ToArray();
            report.RssMb = [.. rss.Select(x => x.RssMb)];
            report.HwmMb = [.. rss.Select(x => x.HwmMb)];
            report.UsersAtEnd = await TotalAsync(http, "Users");
            for (var r = 0; r < servers.Count; r++)
            {
                Say($"scimbridge replica {r} VmRSS {rss[r].RssMb:F0} MB (VmHWM {rss[r].HwmMb:F0} MB), users in store {report.UsersAtEnd}; {RssBreakdown(servers[r].Id)}");
            }

            if (clients.Count > 1)
            {
                var totals = new List<int>();
                foreach (var client in clients)
                {
                    totals.Add(await TotalAsync(client, "Users"));
                }

                Say($"users in store as seen by each replica: {string.Join(", ", totals)}");
                if (totals.Distinct().Count() != 1)
                {
                    throw new InvalidOperationException("The replicas disagree on the number of users.");
                }
            }

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
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var server in servers)
            {
                Stop(server);
            }

            Stop(ping);
            if (database is not null)
            {
                try
                {
                    await Postgres.DropDatabaseAsync(options.Postgres!, database);
                    Console.WriteLine($"PostgreSQL database {database} dropped");
                }
                catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
                {
                    Console.Error.WriteLine($"Could not drop PostgreSQL database {database}: {exception.Message}");
                }
            }

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

    /// <summary>
    /// A warm-up and then the measured wrk run, one wrk process per URL at the same time, each with the same
    /// -t/-c/-d settings. Requests/sec and request counts are summed; p50/p99 are the worst of the wrk processes.
    /// </summary>
    private async Task<WrkResult> MeasureAsync(string name, IReadOnlyList<string> urls, Func<int, string> script, Func<int, string>? measuredScript = null)
    {
        await Task.WhenAll(urls.Select((url, r) => Wrk.RunAsync(options.Wrk, url, script(r), options.Threads, options.Connections, options.Warmup)));
        var results = await Task.WhenAll(urls.Select((url, r) =>
            Wrk.RunAsync(options.Wrk, url, (measuredScript ?? script)(r), options.Threads, options.Connections, options.Duration)));
        var result = results.Length == 1 ? results[0] : new WrkResult(
            results.Sum(x => x.RequestsPerSecond), results.Sum(x => x.Requests), results.Sum(x => x.Non2xx), results.Sum(x => x.SocketErrors),
            results.Max(x => x.P50Ms), results.Max(x => x.P99Ms), string.Join("\n", results.Select(x => x.Output)));
        var parts = results.Length == 1 ? "" : $" = {string.Join(" + ", results.Select(x => x.RequestsPerSecond.ToString("F0", Inv)))} ({results.Length} wrk at once; worst p50/p99)";
        Say($"{name}: {result.RequestsPerSecond:F0} req/s{parts} ({result.Requests} requests, non-2xx {result.Non2xx}, socket errors {result.SocketErrors}), p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms");
        if (result.Non2xx > 0 || result.SocketErrors > 0)
        {
            throw new InvalidOperationException($"{name}: wrk saw errors.\n{result.Output}");
        }

        return result;
    }

    private async Task<string> CreateConnectionAsync(string[] storage)
    {
        var start = new ProcessStartInfo(options.ScimBridge) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["connections", "create", "--name", "bench", "--kind", "generic", .. storage])
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
