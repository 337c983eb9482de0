using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms;

/// <summary>
/// Registers every platform target under <c>Platforms:Targets</c>. Each target names its <c>Platform</c>; the module
/// for that platform binds the rest of the section. Adding a platform is a folder and one line in <see cref="Modules"/>.
/// </summary>
public static partial class PlatformsRegistration
{
    public const string TargetsSection = "Platforms:Targets";

    private static readonly IPlatformModule[] Modules =
    [
        new Cursor.CursorModule(),
        new Scim.ScimModule(),
        new Anthropic.AnthropicModule(),
        new OpenAI.OpenAIModule(),
    ];

    public static IReadOnlyList<string> KnownPlatforms => [.. Modules.Select(m => m.Platform)];

    public static IServiceCollection AddPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var section in configuration.GetSection(TargetsSection).GetChildren())
        {
            var platform = section["Platform"];
            var module = Modules.FirstOrDefault(m => string.Equals(m.Platform, platform, StringComparison.OrdinalIgnoreCase));
            if (!TargetName().IsMatch(section.Key))
            {
                problems.Add($"{TargetsSection}:{section.Key}: a target name is 1–64 lower-case letters, digits, '-' and '_'.");
            }
            else if (module is null)
            {
                problems.Add($"{TargetsSection}:{section.Key}:Platform is '{platform}'; expected one of {string.Join(", ", KnownPlatforms)}.");
            }
            else
            {
                module.AddTarget(services, section.Key, section);
            }
        }

        services.AddOptions<PlatformCatalogOptions>().Configure(o => o.Problems = problems).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlatformCatalogOptions>, PlatformCatalogValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPlatformRegistry, PlatformRegistry>();
        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetName();
}

/// <summary>What configuration got wrong about the target list itself (unknown platform, bad name); checked on start.</summary>
public sealed class PlatformCatalogOptions
{
    public IReadOnlyList<string> Problems { get; set; } = [];
}

internal sealed class PlatformCatalogValidator : IValidateOptions<PlatformCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformCatalogOptions options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}

internal sealed class PlatformRegistry(IEnumerable<PlatformAdapterRegistration> registrations, IServiceProvider provider) : IPlatformRegistry
{
    private readonly Lazy<Dictionary<string, IPlatformAdapter>> _adapters = new(() =>
        registrations.ToDictionary(r => r.TargetName, r => r.Create(provider), StringComparer.Ordinal));

    public IReadOnlyList<IPlatformAdapter> Adapters => [.. _adapters.Value.Values.OrderBy(a => a.Target.Name, StringComparer.Ordinal)];

    public IPlatformAdapter? Find(string targetName) => _adapters.Value.GetValueOrDefault(targetName);
}
