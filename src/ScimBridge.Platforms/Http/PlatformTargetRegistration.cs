using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Http;

/// <summary>One platform kind's registration: binds a target's section and registers its client and adapter.</summary>
public interface IPlatformModule
{
    /// <summary>The <c>Platform</c> value in configuration that selects this module: openai, anthropic, cursor, scim.</summary>
    string Platform { get; }

    void AddTarget(IServiceCollection services, string targetName, IConfigurationSection section);
}

/// <summary>A configured target's adapter factory, collected by the registry.</summary>
public sealed record PlatformAdapterRegistration(string TargetName, string Platform, Func<IServiceProvider, IPlatformAdapter> Create);

public static class PlatformTargetRegistration
{
    /// <summary>
    /// Registers one target of a platform: named options bound from <paramref name="section"/> and validated on start,
    /// a named HttpClient (base URL, auth headers, the resilience pipeline, its own circuit breaker) and the adapter.
    /// </summary>
    public static void AddPlatformTarget<TOptions>(
        this IServiceCollection services,
        string targetName,
        IConfigurationSection section,
        Action<HttpClient, TOptions> authenticate,
        Func<IServiceProvider, HttpClient, TOptions, IPlatformAdapter> createAdapter)
        where TOptions : PlatformTargetOptions
    {
        services.AddOptions<TOptions>(targetName).Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var clientName = "platform:" + targetName;
        services.AddHttpClient(clientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(targetName);
                http.BaseAddress = WithTrailingSlash(options.BaseUrl!);

                // The resilience pipeline owns timeouts (per attempt and in total); HttpClient's own would cut across it.
                http.Timeout = Timeout.InfiniteTimeSpan;
                authenticate(http, options);
            })
            .AddResilienceHandler("platform", (pipeline, context) => PlatformResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(targetName),
                context.ServiceProvider.GetRequiredService<TimeProvider>()));

        var platform = section["Platform"] ?? "";
        services.AddSingleton(new PlatformAdapterRegistration(targetName, platform, provider => createAdapter(
            provider,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(targetName))));
    }

    // Relative request paths resolve under the base only when it ends in '/': "https://api.openai.com/v1" + "organization/users"
    // would otherwise drop the "v1".
    private static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
