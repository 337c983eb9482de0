using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.OpenAI;

/// <summary>Registers OpenAI targets: <c>Authorization: Bearer &lt;admin key&gt;</c> on every call (AdminApiKeyAuth).</summary>
internal sealed class OpenAIModule : IPlatformModule
{
    public string Platform => OpenAIOptions.PlatformName;

    public void AddTarget(IServiceCollection services, string targetName, IConfigurationSection section) =>
        services.AddPlatformTarget<OpenAIOptions>(
            targetName,
            section,
            authenticate: (http, options) => http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey),
            createAdapter: (provider, http, options) =>
            {
                var target = options.TargetNamed(targetName, Platform);
                var time = provider.GetRequiredService<TimeProvider>();
                var loggers = provider.GetRequiredService<ILoggerFactory>();
                var client = new OpenAIClient(http, target, options, loggers.CreateLogger<OpenAIClient>(), time);
                return new OpenAIAdapter(target, client, time, loggers.CreateLogger<OpenAIAdapter>());
            });
}
