using System.Text.Json.Nodes;
using System.Text;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Reports;

/// <summary><c>scimbridge report …</c> and <c>scimbridge keys revoke</c> as a real process against the OpenAI simulator.</summary>
public sealed class ReportCommandsTests : IAsyncLifetime
{
    private const string AdminKey = "sk-admin-report-cli";
    private readonly string _data = Directory.CreateTempSubdirectory("scimbridge-report-cli-").FullName;
    private RunningSimulator<OpenAISimulator> _sim = null!;

    public async Task InitializeAsync()
    {
        var sim = new OpenAISimulator(TimeProvider.System);
        sim.Seed(new MemoryStream(Encoding.UTF8.GetBytes("""
            {"users":[{"object":"organization.user","id":"user-x","name":"X","email":"x@gmail.com","role":"owner","added_at":1711471533}],
             "projects":[{"object":"organization.project","id":"proj_a","name":"a","created_at":1711471533,"archived_at":null,"status":"active",
               "api_keys":[{"object":"organization.project.api_key","id":"key_x","name":"x","redacted_value":"sk-...x","created_at":1711471533,"last_used_at":null,
                 "owner_project_access":"active","owner":{"type":"user","user":{"id":"user-x","email":"x@gmail.com","name":"X","created_at":1711471533,"role":"owner"}}}]}]}
            """)));
        _sim = await SimulatorHost.StartAsync(sim, AdminKey);
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private string[] Target =>
    [
        "--Platforms:Targets:openai-main:Platform=openai",
        $"--Platforms:Targets:openai-main:BaseUrl={_sim.BaseUrl.AbsoluteUri}",
        $"--Platforms:Targets:openai-main:ApiKey={AdminKey}",
        "--Platforms:Targets:openai-main:MaxRetryAttempts=0",
    ];

    [Fact]
    public async Task ReportInventory_PrintsJsonCsvAndTable()
    {
        var json = await RunAsync(["report", "inventory", "--format", "json", .. Target]);
        Assert.Equal(0, json.Exit);
        var report = JsonNode.Parse(json.Output)!;
        var key = report["items"]!.AsArray().Single(i => (string)i!["id"]! == "key_x")!;
        Assert.Equal(["stale", "unrotated", "shadow"], key["flags"]!.AsArray().Select(f => (string)f!));

        var csv = await RunAsync(["report", "inventory", "--format", "csv", "--flag", "shadow", .. Target]);
        Assert.Equal(0, csv.Exit);
        Assert.Contains("openai-main,openai,apiKey,key_x,x,proj_a,active,user-x,x@gmail.com,,,,", csv.Output, StringComparison.Ordinal);

        var table = await RunAsync(["report", "inventory", .. Target]);
        Assert.Equal(0, table.Exit);
        Assert.Contains("stale,unrotated,shadow", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRevoke_DeletesThenAnswersNotFound()
    {
        var done = await RunAsync(["keys", "revoke", "--target", "openai-main", "--id", "key_x", "--container", "proj_a", .. Target]);
        Assert.Equal(0, done.Exit);
        Assert.Contains("key_x: deleted", done.Output, StringComparison.Ordinal);
        Assert.False(_sim.Platform.ApiKeyExists("proj_a", "key_x"));

        Assert.Equal(3, (await RunAsync(["keys", "revoke", "--target", "openai-main", "--id", "key_x", .. Target])).Exit);
        Assert.Equal(3, (await RunAsync(["keys", "revoke", "--target", "nope", "--id", "key_x", .. Target])).Exit);
        Assert.Equal(2, (await RunAsync(["keys", "revoke", "--target", "openai-main", "--id", "key_x", "--kind", "robot", .. Target])).Exit);
    }

    [Fact]
    public async Task Report_BadFormatIs2_NoPolicyIs4_UnknownTargetIs3_DriftAndConnectorsPrint()
    {
        Assert.Equal(2, (await RunAsync(["report", "connectors", "--format", "xml", .. Target])).Exit);
        Assert.Equal(4, (await RunAsync(["report", "access-review", .. Target])).Exit);
        Assert.Equal(3, (await RunAsync(["report", "activity", "--target", "nope", .. Target])).Exit);

        var drift = await RunAsync(["report", "drift", "--format", "json", .. Target]);
        Assert.Equal(0, drift.Exit);
        Assert.Equal("openai-main", (string)JsonNode.Parse(drift.Output)!["targets"]![0]!["target"]!);

        var connectors = await RunAsync(["report", "connectors", .. Target]);
        Assert.Equal(0, connectors.Exit);
        Assert.Contains("openai-main (openai, unmanaged)", connectors.Output, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(string[] args) =>
        CliProcess.RunAsync(_data, args.Append($"--Storage:DataDirectory={_data}"));
}
