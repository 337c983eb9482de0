using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Platforms.OpenAI;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>An OpenAI target's configuration is checked when the host starts, not at its first call.</summary>
public sealed class OpenAIOptionsTests
{
    private const string Prefix = "Platforms:Targets:openai-main:";

    [Fact]
    public async Task A_missing_admin_key_fails_the_start_naming_the_setting()
    {
        using var host = Build(new() { [Prefix + "Platform"] = "openai" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("openai-main", error.OptionsName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BaseUrl", "api.openai.com/v1", "The BaseUrl field must be an absolute http(s) URL")]
    [InlineData("BaseUrl", "ftp://api.openai.com/v1", "The BaseUrl field must be an absolute http(s) URL")]
    [InlineData("PageSize", "0", "PageSize")]
    [InlineData("PageSize", "5000", "PageSize")]
    [InlineData("MaxRetryAttempts", "11", "MaxRetryAttempts")]
    public async Task An_invalid_value_fails_the_start_naming_the_setting(string setting, string value, string expected)
    {
        using var host = Build(new()
        {
            [Prefix + "Platform"] = "openai",
            [Prefix + "ApiKey"] = "sk-admin-test",
            [Prefix + setting] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_point_at_the_public_api_and_clamp_page_sizes_to_each_envelope()
    {
        using var host = Build(new() { [Prefix + "Platform"] = "openai", [Prefix + "ApiKey"] = "sk-admin-test", [Prefix + "PageSize"] = "1000" });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<OpenAIOptions>>().Get("openai-main");
        await host.StopAsync();

        Assert.Equal(new Uri("https://api.openai.com/v1"), options.BaseUrl);
        Assert.Equal(100, options.ClassicLimit);
        Assert.Equal(1000, options.RbacLimit);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPlatforms(builder.Configuration);
        return builder.Build();
    }
}
