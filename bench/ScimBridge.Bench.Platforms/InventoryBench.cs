using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reports;
using ScimBridge.Platforms;

namespace ScimBridge.Bench.Platforms;

/// <summary>
/// The non-human identity inventory (docs/performance.md, "Inventory report") over the seeded OpenAI simulator of
/// <c>sim</c>: the real adapter built as the service builds it, <see cref="InventoryBuilder"/> over every key and account
/// with an identity index like the IdP's (every generated user but each tenth, who become shadow users), then the
/// report serialised as the API would send it. Prints one JSON line: items, time, peak RSS.
/// </summary>
internal static class InventoryBench
{
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(Uri baseUrl, string adminKey, int users)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platforms:Targets:bench:Platform"] = "openai",
            ["Platforms:Targets:bench:BaseUrl"] = baseUrl.AbsoluteUri,
            ["Platforms:Targets:bench:ApiKey"] = adminKey,
            ["Platforms:Targets:bench:PageSize"] = "100",
        }).Build();
#pragma warning disable ASP0000 // A standalone provider is the point: the adapter built exactly as the service builds it, nothing else.
        await using var provider = new ServiceCollection().AddLogging().AddPlatforms(configuration).BuildServiceProvider();
#pragma warning restore ASP0000
        var adapter = provider.GetRequiredService<IPlatformRegistry>().Find("bench")!;

        var index = new IdentityIndex();
        index.Add(new IdentityRef("bench", "owner@example.com", true), ["owner@example.com"]);
        for (var i = 1; i < users; i++)
        {
            if (i % 10 != 0)
            {
                var email = $"gen-{i.ToString("D7", CultureInfo.InvariantCulture)}@example.com";
                index.Add(new IdentityRef("bench", email, true), [email]);
            }
        }

        GC.Collect();
        var baseline = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        var report = await InventoryBuilder.BuildAsync([adapter], index, new InventoryThresholds(45, 90), DateTimeOffset.UtcNow, null, CancellationToken.None);
        var built = watch.Elapsed;
        await JsonSerializer.SerializeAsync(Stream.Null, report, ApiJson);
        watch.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            what = "inventory",
            items = report.Counts.Total,
            shadow = report.Counts.Shadow,
            errors = report.Errors.Count,
            seconds = watch.Elapsed.TotalSeconds,
            buildSeconds = built.TotalSeconds,
            peakRssMb = self.PeakWorkingSet64 / 1048576.0,
            baselineRssMb = baseline / 1048576.0,
            managedMb = GC.GetTotalMemory(false) / 1048576.0,
        }));
        return report.Errors.Count == 0 ? 0 : 1;
    }
}
