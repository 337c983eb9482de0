using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.Reconciliation;

/// <summary>The policy file: checked against the configured targets, reloaded on change, and a bad edit never replaces a good policy.</summary>
public sealed class PolicyFileProviderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scimbridge-policy-").FullName;
    private readonly ServiceProvider _platforms = new ServiceCollection().AddLogging().AddPlatforms(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Platforms:Targets:openai:Platform"] = "openai",
        ["Platforms:Targets:openai:ApiKey"] = "sk-admin-not-used",
    }).Build()).BuildServiceProvider();

    private string PolicyPath => Path.Combine(_folder, "policy.yaml");

    private PolicyFileProvider Provider() => new(
        Options.Create(new ReconciliationOptions { PolicyPath = PolicyPath }),
        _platforms.GetRequiredService<IPlatformRegistry>(),
        NullLogger<PolicyFileProvider>.Instance,
        TimeProvider.System);

    [Fact]
    public void Targets_and_roles_are_checked_against_the_configured_platforms_with_lines()
    {
        File.WriteAllText(PolicyPath, "targets:\n  openai: {}\n  gemini: {}\nrules:\n  - name: r\n    match: {everyone: true}\n    grant: {openai: {orgRole: admin, containers: {p: viewer}}}\n");

        using var provider = Provider();

        Assert.Null(provider.Current.Policy);
        Assert.Contains(provider.Current.Errors, e => e.Line == 3 && e.Message.Contains("'gemini' is not configured under Platforms:Targets (configured: openai)", StringComparison.Ordinal));
        Assert.Contains(provider.Current.Errors, e => e.Line == 5 && e.Message.Contains("'admin' is not an organisation role of openai (reader, owner)", StringComparison.Ordinal));
        Assert.Contains(provider.Current.Errors, e => e.Line == 5 && e.Message.Contains("'viewer' (container p) is not a container role of openai", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_file_is_reloaded_and_a_broken_edit_keeps_the_last_good_policy()
    {
        File.WriteAllText(PolicyPath, "targets:\n  openai: {}\nrules: []\n");
        using var provider = Provider();
        Assert.Empty(provider.Current.Policy!.Rules);

        await File.WriteAllTextAsync(PolicyPath, "targets:\n  openai: {}\nrules:\n  - name: everyone\n    match: {everyone: true}\n    grant: {openai: {orgRole: reader}}\n");
        await Eventually(() => provider.Current.Policy?.Rules.Count == 1);

        await File.WriteAllTextAsync(PolicyPath, "targets:\n  openai: {mode: sometimes}\nrules: []\n");
        await Eventually(() => provider.Current.Errors.Count > 0);
        Assert.Equal("everyone", Assert.Single(provider.Current.Policy!.Rules).Name);
        Assert.Equal(2, provider.Current.Errors[0].Line);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public void Dispose()
    {
        _platforms.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
