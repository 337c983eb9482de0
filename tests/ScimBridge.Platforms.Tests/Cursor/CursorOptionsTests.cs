using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScimBridge.Platforms.Cursor;

namespace ScimBridge.Platforms.Tests.Cursor;

/// <summary>A Cursor target's configuration is checked when the host starts, with messages that name the setting.</summary>
public sealed class CursorOptionsTests
{
    private const string Prefix = "Platforms:Targets:cursor-team:";

    [Fact]
    public async Task A_complete_target_starts_and_defaults_to_the_public_API()
    {
        using var host = Build(new() { ["Platform"] = "cursor", ["ApiKey"] = "key_0123" });

        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptionsMonitor<CursorOptions>>().Get("cursor-team");
        Assert.Equal(new Uri("https://api.cursor.com"), options.BaseUrl);
        Assert.Null(options.Scim);
        await host.StopAsync();
    }

    [Theory]
    [InlineData(null, null, "ApiKey")]
    [InlineData("PageSize", "0", "PageSize")]
    [InlineData("Scim:BaseUrl", "https://cursor.example/scim/v2", "Scim:Token")]
    [InlineData("Scim:Token", "scim-token", "Scim:BaseUrl")]
    public async Task A_missing_or_invalid_value_fails_the_start_naming_it(string? key, string? value, string named)
    {
        var values = new Dictionary<string, string?> { ["Platform"] = "cursor", ["ApiKey"] = "key_0123" };
        if (key is null)
        {
            values.Remove("ApiKey");
        }
        else
        {
            values[key] = value;
        }

        using var host = Build(values);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(CursorOptions), error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> target)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(target.Select(p => new KeyValuePair<string, string?>(Prefix + p.Key, p.Value)));
        builder.Services.AddPlatforms(builder.Configuration);
        return builder.Build();
    }
}
