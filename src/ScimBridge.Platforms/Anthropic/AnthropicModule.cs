using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Anthropic;

/// <summary>Registers <c>Platform: anthropic</c> targets: Admin key in <c>x-api-key</c>, plus <c>anthropic-version</c>.</summary>
public sealed class AnthropicModule : IPlatformModule
{
    public string Platform => "anthropic";

    public void AddTarget(IServiceCollection services, string targetName, IConfigurationSection section) =>
        services.AddPlatformTarget<AnthropicOptions>(
            targetName,
            section,
            authenticate: (http, options) =>
            {
                http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", options.ApiKey);
                http.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", options.AnthropicVersion);
            },
            createAdapter: (provider, http, options) =>
            {
                var target = options.TargetNamed(targetName, Platform);
                var time = provider.GetRequiredService<TimeProvider>();
                var loggers = provider.GetRequiredService<ILoggerFactory>();
                var client = new AnthropicClient(http, target, options, loggers.CreateLogger<AnthropicClient>(), time);
                return new AnthropicAdapter(target, client, loggers.CreateLogger<AnthropicAdapter>(), time);
            });
}
