using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Cli;

/// <summary><c>scimbridge platforms list|check</c>, run as a real process against a simulator, as an operator runs them.</summary>
public sealed class PlatformCommandsTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("scimbridge-cli-").FullName;
    private RunningSimulator<OpenAISimulator> _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHost.StartAsync(new OpenAISimulator(TimeProvider.System), "sk-admin-cli-test");

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private string[] Target(string key) =>
    [
        "--Platforms:Targets:openai-main:Platform=openai",
        $"--Platforms:Targets:openai-main:BaseUrl={_sim.BaseUrl.AbsoluteUri}",
        $"--Platforms:Targets:openai-main:ApiKey={key}",
        "--Platforms:Targets:openai-main:MaxRetryAttempts=0",
    ];

    [Fact]
    public async Task List_prints_each_target_with_its_capabilities()
    {
        var (exit, output, _) = await RunAsync(["platforms", "list", .. Target("sk-admin-cli-test")]);

        Assert.Equal(0, exit);
        Assert.Contains("openai-main", output, StringComparison.Ordinal);
        Assert.Contains("IssueCredentials", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_exits_0_with_the_right_key_and_1_with_a_wrong_one_without_printing_it()
    {
        var ok = await RunAsync(["platforms", "check", .. Target("sk-admin-cli-test")]);
        Assert.Equal(0, ok.Exit);
        Assert.Contains("openai-main", ok.Output, StringComparison.Ordinal);

        var wrong = await RunAsync(["platforms", "check", .. Target("sk-wrong-key-123456")]);
        Assert.Equal(1, wrong.Exit);
        Assert.Contains("FAILED", wrong.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-key-123456", wrong.Output + wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_target_configuration_exits_2_naming_the_key()
    {
        var (exit, _, error) = await RunAsync(["platforms", "list", "--Platforms:Targets:x:Platform=gemini"]);

        Assert.Equal(2, exit);
        Assert.Contains("Platforms:Targets:x:Platform is 'gemini'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_check_prints_each_problem_as_file_line_column_and_reconcile_previews_a_candidate()
    {
        var bad = Path.Combine(_data, "bad.yaml");
        await File.WriteAllTextAsync(bad, "targets:\n  openai-main: {}\n  gemini: {}\nrules: []\n");
        var (exit, _, error) = await RunAsync(["policy", "check", "--file", bad, .. Target("sk-admin-cli-test")]);
        Assert.Equal(2, exit);
        Assert.Contains($"{bad}:3:1: target 'gemini' is not configured", error, StringComparison.Ordinal);

        var good = Path.Combine(_data, "good.yaml");
        await File.WriteAllTextAsync(good, "targets:\n  openai-main: {mode: enforce}\nrules:\n  - name: everyone\n    match: {everyone: true}\n    grant: {openai-main: {orgRole: reader}}\n");
        Assert.Equal(0, (await RunAsync(["policy", "check", "--file", good, .. Target("sk-admin-cli-test")])).Exit);

        _sim.Platform.AddUsers(1); // an account no identity owns
        var (previewExit, output, _) = await RunAsync(["reconcile", "--policy-file", good, .. Target("sk-admin-cli-test")]);
        Assert.Equal(0, previewExit);
        Assert.Matches(@"openai-main\s+observed\s+1\s+0", output); // one drift item (the unowned account), nothing planned: a preview
        Assert.Equal(1, _sim.Platform.UserCount);
    }

    [Fact]
    public async Task Reconcile_reports_progress_on_stderr_and_json_on_stdout_for_scripts()
    {
        var policy = Path.Combine(_data, "apply.yaml");
        await File.WriteAllTextAsync(policy, "targets:\n  openai-main: {mode: enforce}\nrules:\n  - name: everyone\n    match: {everyone: true}\n    grant: {openai-main: {orgRole: reader}}\n");
        _sim.Platform.AddUsers(1);

        var (exit, output, error) = await RunAsync(["reconcile", "--dry-run", "--progress", "--format", "json", $"--Reconciliation:PolicyPath={policy}", .. Target("sk-admin-cli-test")]);

        Assert.Equal(0, exit);
        var report = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(output)!.AsArray())!;
        Assert.Equal(("openai-main", "observed", true), ((string)report["target"]!, (string)report["status"]!, (bool)report["fullScope"]!));
        Assert.Contains(report["drift"]!.AsArray(), d => (string)d!["kind"]! == "unownedAccount");
        Assert.Equal(["openai-main: reading", "openai-main: planning", "openai-main: done (0 steps)"], error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        Assert.Equal(2, (await RunAsync(["reconcile", "--format", "yaml", .. Target("sk-admin-cli-test")])).Exit);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(string[] args) =>
        CliProcess.RunAsync(_data, args.Append($"--Storage:DataDirectory={_data}"));
}
