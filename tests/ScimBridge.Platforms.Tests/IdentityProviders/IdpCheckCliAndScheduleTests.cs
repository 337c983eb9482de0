using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.IdentityProviders.Okta;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary><c>scimbridge idp check</c> as a real process, and the scheduled check, both against the Okta fake.</summary>
public sealed class IdpCheckCliAndScheduleTests
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static OktaSimState Org() => new(
        "0oa1cliapp",
        [new OktaSimUser("00u1ana", "ana@example.com", "ACTIVE"), new OktaSimUser("00u1ben", "ben@example.com", "ACTIVE")],
        [new OktaSimGroup("00g1eng", "Engineering", ["00u1ana"])],
        ["00u1ben"],
        ["00g1eng"]);

    [Fact]
    public async Task Cli_IdpCheck_ExitsWithDriftThenRepairsWithRepairFlag()
    {
        var data = Directory.CreateTempSubdirectory("scimbridge-idp-cli-").FullName;
        var okta = new OktaSimulator(TimeProvider.System);
        okta.Seed(new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Org(), WebJson)));
        await using var sim = await SimulatorHost.StartAsync(okta, "okta-cli-token");
        string[] idp =
        [
            "--IdentityProviders:Connections:okta-cli:Kind=okta", $"--IdentityProviders:Connections:okta-cli:OrgUrl={sim.Root.AbsoluteUri}",
            "--IdentityProviders:Connections:okta-cli:ApiToken=okta-cli-token", "--IdentityProviders:Connections:okta-cli:AppId=0oa1cliapp",
            "--IdentityProviders:Connections:okta-cli:Repair=report",
        ];
        try
        {
            Assert.Equal(0, (await RunAsync(data, ["connections", "create", "--name", "okta-cli", "--kind", "okta"])).Exit);

            var drift = await RunAsync(data, ["idp", "check", "--connection", "okta-cli", .. idp]);
            Assert.Equal(6, drift.Exit);
            Assert.Contains("UserNotReceived ana@example.com", drift.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("okta-cli-token", drift.Output + drift.Error, StringComparison.Ordinal);

            Assert.Equal(0, (await RunAsync(data, ["idp", "check", "--connection", "okta-cli", "--repair", .. idp])).Exit);
            var after = await RunAsync(data, ["idp", "check", .. idp]);
            Assert.Equal(0, after.Exit);
            Assert.Contains("consistent", after.Output, StringComparison.Ordinal);

            Assert.Equal(3, (await RunAsync(data, ["idp", "check", "--connection", "nope", .. idp])).Exit);
            Assert.Equal(2, (await RunAsync(data, ["idp", "check", "--IdentityProviders:Connections:x:Kind=okta"])).Exit);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Schedule_RunsTheCheckByItself_AndAppliesTheRepair()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "apply", "--IdentityProviders:Connections:idp:Schedule=00:00:01");

        var deadline = Stopwatch.StartNew();
        JsonArray runs;
        do
        {
            await Task.Delay(200);
            runs = (await h.Admin.GetFromJsonAsync<JsonArray>("admin/idp-checks?connection=idp"))!;
        }
        while (!runs.Any(r => (string)r!["trigger"]! == "schedule") && deadline.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Contains(runs, r => (string)r!["trigger"]! == "schedule");
        var users = await h.UsersAsync();
        Assert.True(users["ana@example.com"]);
        Assert.True(users["ben@example.com"]);
        Assert.Equal(["ana@example.com"], await h.MembersAsync("Engineering"));
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string data, string[] args) =>
        CliProcess.RunAsync(data, args.Append($"--Storage:DataDirectory={data}").Append("--Storage:ConnectionString="));
}
