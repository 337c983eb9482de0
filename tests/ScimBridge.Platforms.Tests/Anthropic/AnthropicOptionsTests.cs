using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Platforms.Anthropic;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>An Anthropic target's configuration is checked when the host starts, not at its first call.</summary>
public sealed class AnthropicOptionsTests
{
    private const string Prefix = "Platforms:Targets:claude:";

    [Fact]
    public async Task A_missing_admin_key_fails_the_start_naming_the_setting()
    {
        using var host = Build(new() { [Prefix + "Platform"] = "anthropic" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AnthropicVersion", "June 2023", "AnthropicVersion must be a version date such as 2023-06-01.")]
    [InlineData("PageSize", "5000", "PageSize")]
    [InlineData("BaseUrl", "", "BaseUrl")]
    public async Task An_invalid_value_fails_the_start_with_a_clear_message(string setting, string value, string expected)
    {
        using var host = Build(new()
        {
            [Prefix + "Platform"] = "anthropic",
            [Prefix + "ApiKey"] = "sk-ant-admin01-test",
            [Prefix + setting] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_point_at_the_public_api_with_the_documented_version()
    {
        using var host = Build(new() { [Prefix + "Platform"] = "anthropic", [Prefix + "ApiKey"] = "sk-ant-admin01-test" });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<AnthropicOptions>>().Get("claude");
        await host.StopAsync();

        Assert.Equal(new Uri("https://api.anthropic.com"), options.BaseUrl);
        Assert.Equal("2023-06-01", options.AnthropicVersion);
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
