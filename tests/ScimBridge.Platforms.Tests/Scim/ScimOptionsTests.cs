using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>A SCIM target's configuration is checked on start; dialects resolve to named switches that overrides beat.</summary>
public sealed class ScimOptionsTests
{
    private const string Prefix = "Platforms:Targets:chatgpt:";

    [Theory]
    [InlineData("BaseUrl", null, "BaseUrl")]
    [InlineData("ApiKey", null, "ApiKey")]
    [InlineData("MaxPageSize", "0", "MaxPageSize")]
    public async Task A_missing_or_invalid_value_fails_the_start_naming_it(string key, string? value, string named)
    {
        var values = Complete();
        if (value is null)
        {
            values.Remove(key);
        }
        else
        {
            values[key] = value;
        }

        using var host = Build(values);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dialect_fails_the_start_naming_the_setting()
    {
        var values = Complete();
        values["Dialect"] = "Workday";
        using var host = Build(values);

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(Prefix + "Dialect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dialect_gives_the_switches_and_each_can_be_overridden()
    {
        var values = Complete();
        values["Dialect"] = "OktaCompatible";
        values["DeprovisionMode"] = "Delete";
        values["MaxPageSize"] = "50";
        using var host = Build(values);
        await host.StartAsync();

        var quirks = host.Services.GetRequiredService<IOptionsMonitor<ScimTargetOptions>>().Get("chatgpt").Quirks();

        Assert.Equal(
            new ScimQuirks(ScimDeprovisionMode.Delete, SupportsFilter: true, MaxPageSize: 50, ScimMemberRemoval.FilterPath, PatchOpSchemas: true, DeactivateWithoutPath: true),
            quirks);
        Assert.Equal(ScimDeprovisionMode.Deactivate, ScimQuirks.For(ScimDialect.EntraCompatible).DeprovisionMode);
        Assert.Equal(ScimMemberRemoval.ValueArray, ScimQuirks.For(ScimDialect.EntraCompatible).MemberRemoval);
        Assert.Equal(ScimDeprovisionMode.Delete, ScimQuirks.For(ScimDialect.Rfc7644).DeprovisionMode);
        await host.StopAsync();
    }

    private static Dictionary<string, string?> Complete() => new()
    {
        ["Platform"] = "scim",
        ["BaseUrl"] = "https://scim.example/scim/v2",
        ["ApiKey"] = "token",
    };

    private static IHost Build(Dictionary<string, string?> target)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(target.Select(p => new KeyValuePair<string, string?>(Prefix + p.Key, p.Value)));
        builder.Services.AddPlatforms(builder.Configuration);
        return builder.Build();
    }
}
