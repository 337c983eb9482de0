using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.Registration;

/// <summary>The target list itself: unknown platforms and bad names stop the service at start, with the key named.</summary>
public sealed class PlatformCatalogTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values) =>
        new ServiceCollection().AddLogging().AddPlatforms(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).BuildServiceProvider();

    [Fact]
    public void An_unknown_platform_fails_start_validation_naming_the_key_and_the_known_platforms()
    {
        using var provider = Build(new() { ["Platforms:Targets:gemini:Platform"] = "gemini" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var message = Assert.Single(error.Failures);
        Assert.Contains("Platforms:Targets:gemini:Platform is 'gemini'", message, StringComparison.Ordinal);
        foreach (var known in PlatformsRegistration.KnownPlatforms)
        {
            Assert.Contains(known, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_target_name_that_is_not_a_slug_fails_start_validation()
    {
        using var provider = Build(new() { ["Platforms:Targets:Open AI:Platform"] = "openai" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Platforms:Targets:Open AI: a target name is 1–64 lower-case letters", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void No_targets_is_a_valid_configuration_with_an_empty_registry()
    {
        using var provider = Build([]);

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Empty(provider.GetRequiredService<IPlatformRegistry>().Adapters);
        Assert.Null(provider.GetRequiredService<IPlatformRegistry>().Find("openai"));
    }
}
