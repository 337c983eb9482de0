using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

// scimbridge-platform-bench sim --urls URL --users N --projects P --keys-per-project K   seeded OpenAI simulator
// scimbridge-platform-bench list --base-url URL --what accounts|keys --mode adapter|raw [--limit N]
// scimbridge-platform-bench inventory --base-url URL [--users N]                        the inventory report over it
// scimbridge-platform-bench reconcile --scimbridge PATH [--identities N] [--leavers N] [--latency-ms MS]
var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1], StringComparer.Ordinal);
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
const string AdminKey = "bench-admin-key";

switch (args.FirstOrDefault())
{
    case "sim":
    {
        var sim = new OpenAISimulator(TimeProvider.System);
        var projects = Int("projects", 20);
        var seed = new StringBuilder("{\"users\":[{\"object\":\"organization.user\",\"id\":\"user-owner\",\"name\":\"Owner\",\"email\":\"owner@example.com\",\"role\":\"owner\",\"added_at\":1711471533}],\"projects\":[");
        for (var p = 0; p < projects; p++)
        {
            seed.Append(CultureInfo.InvariantCulture, $"{(p > 0 ? "," : "")}{{\"object\":\"organization.project\",\"id\":\"proj_{p:D3}\",\"name\":\"Project {p}\",\"created_at\":1711471533,\"archived_at\":null,\"status\":\"active\"}}");
        }

        sim.Seed(new MemoryStream(Encoding.UTF8.GetBytes(seed.Append("]}").ToString())));
        sim.AddUsers(Int("users", 50_000) - 1);
        for (var p = 0; p < projects; p++)
        {
            sim.AddUserApiKeys($"proj_{p:D3}", "user-owner", Int("keys-per-project", 10_000));
        }

        var app = SimulatorHost.Build(sim, AdminKey, options.GetValueOrDefault("urls", "http://127.0.0.1:0"), TimeProvider.System, out var control);
        control.RecordRequests = false;
        await app.StartAsync();
        Console.WriteLine("ready");
        await app.WaitForShutdownAsync();
        return 0;
    }

    case "list":
    {
        var baseUrl = new Uri(options["base-url"]);
        var what = options.GetValueOrDefault("what", "accounts");
        var limit = Int("limit", int.MaxValue);
        GC.Collect();
        var baseline = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        var (items, requests) = options.GetValueOrDefault("mode", "adapter") == "raw"
            ? await RawAsync(baseUrl, what, limit)
            : await AdapterAsync(baseUrl, what, limit);
        watch.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            what,
            mode = options.GetValueOrDefault("mode", "adapter"),
            items,
            requests,
            seconds = watch.Elapsed.TotalSeconds,
            peakRssMb = self.PeakWorkingSet64 / 1048576.0,
            baselineRssMb = baseline / 1048576.0,
            managedMb = GC.GetTotalMemory(false) / 1048576.0,
            totalAllocatedMb = GC.GetTotalAllocatedBytes() / 1048576.0,
        }));
        return 0;
    }

    case "inventory":
        return await ScimBridge.Bench.Platforms.InventoryBench.RunAsync(new Uri(options["base-url"]), AdminKey, Int("users", 50_000));

    case "reconcile":
        return await ScimBridge.Bench.Platforms.ReconcileBench.RunAsync(options["scimbridge"], Int("identities", 100_000), Int("leavers", 20), Int("latency-ms", 50));

    default:
        await Console.Error.WriteLineAsync("usage: scimbridge-platform-bench sim|list|reconcile [options]");
        return 2;
}

// The real path: configuration → AddPlatforms → registry → adapter, streamed with Pages.ReadAllAsync.
static async Task<(long Items, long Requests)> AdapterAsync(Uri baseUrl, string what, int limit)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Platforms:Targets:bench:Platform"] = "openai",
        ["Platforms:Targets:bench:BaseUrl"] = baseUrl.AbsoluteUri,
        ["Platforms:Targets:bench:ApiKey"] = AdminKey,
        ["Platforms:Targets:bench:PageSize"] = "100",
    }).Build();
#pragma warning disable ASP0000 // A standalone provider is the point: the adapter built exactly as the service builds it, nothing else.
    await using var provider = new ServiceCollection().AddLogging().AddPlatforms(configuration).BuildServiceProvider();
#pragma warning restore ASP0000
    var adapter = provider.GetRequiredService<IPlatformRegistry>().Find("bench")!;
    long items = 0;
    long requests = 0;
    if (what == "keys")
    {
        var reader = (ICredentialReader)adapter;
        await foreach (var _ in Pages.ReadAllAsync((token, ct) => { requests++; return reader.ListCredentialsAsync(token, ct); }))
        {
            if (++items >= limit)
            {
                break;
            }
        }
    }
    else
    {
        await foreach (var _ in Pages.ReadAllAsync((token, ct) => { requests++; return adapter.ListAccountsAsync(token, ct); }))
        {
            if (++items >= limit)
            {
                break;
            }
        }
    }

    return (items, requests);
}

// The floor: the same pages over a bare HttpClient, parsed only far enough to find the cursor and count items.
static async Task<(long Items, long Requests)> RawAsync(Uri baseUrl, string what, int limit)
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/") };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    long items = 0;
    long requests = 0;
    var paths = what == "keys"
        ? Enumerable.Range(0, 1000).Select(p => $"organization/projects/proj_{p:D3}/api_keys").ToList()
        : ["organization/users"];
    foreach (var path in paths)
    {
        string? after = null;
        while (true)
        {
            requests++;
            using var response = await http.GetAsync($"{path}?limit=100" + (after is null ? "" : $"&after={after}"));
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return (items, requests);
            }

            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            using var document = await JsonDocument.ParseAsync(body);
            items += document.RootElement.GetProperty("data").GetArrayLength();
            if (items >= limit || !document.RootElement.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            after = document.RootElement.GetProperty("last_id").GetString();
        }

        if (items >= limit)
        {
            break;
        }
    }

    return (items, requests);
}
