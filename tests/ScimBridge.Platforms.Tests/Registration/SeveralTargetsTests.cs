using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Platforms;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.Registration;

/// <summary>Two OpenAI organisations are two targets: separate adapters, base URLs, keys and circuit breakers.</summary>
public sealed class SeveralTargetsTests
{
    [Fact]
    public async Task Two_targets_of_one_platform_each_talk_to_their_own_organisation_with_their_own_key()
    {
        var research = new OpenAISimulator(TimeProvider.System);
        var support = new OpenAISimulator(TimeProvider.System);
        research.AddUsers(3);
        support.AddUsers(5);
        await using var researchSim = await SimulatorHost.StartAsync(research, "key-research");
        await using var supportSim = await SimulatorHost.StartAsync(support, "key-support");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platforms:Targets:openai-research:Platform"] = "openai",
            ["Platforms:Targets:openai-research:BaseUrl"] = researchSim.BaseUrl.AbsoluteUri,
            ["Platforms:Targets:openai-research:ApiKey"] = "key-research",
            ["Platforms:Targets:openai-support:Platform"] = "openai",
            ["Platforms:Targets:openai-support:BaseUrl"] = supportSim.BaseUrl.AbsoluteUri,
            ["Platforms:Targets:openai-support:ApiKey"] = "key-support",
            ["Platforms:Targets:openai-support:MaxRetryAttempts"] = "0",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddPlatforms(configuration).BuildServiceProvider();
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        var registry = provider.GetRequiredService<IPlatformRegistry>();

        Assert.Equal(["openai-research", "openai-support"], registry.Adapters.Select(a => a.Target.Name));
        Assert.Equal(3, await CountAsync(registry.Find("openai-research")!));
        Assert.Equal(5, await CountAsync(registry.Find("openai-support")!));

        // Each target's own options: the support target does not retry, the research one does.
        researchSim.Control.FailNext(1, 503);
        supportSim.Control.FailNext(1, 503);
        Assert.Equal(3, await CountAsync(registry.Find("openai-research")!));
        await Assert.ThrowsAsync<PlatformTransientException>(() => CountAsync(registry.Find("openai-support")!));
    }

    private static async Task<int> CountAsync(IPlatformAdapter adapter)
    {
        var count = 0;
        await foreach (var _ in Pages.ReadAllAsync(adapter.ListAccountsAsync))
        {
            count++;
        }

        return count;
    }
}
