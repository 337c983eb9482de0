using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Scim;

/// <summary>Platform "scim": a downstream SCIM 2.0 app, configured under <c>Platforms:Targets:&lt;name&gt;</c>.</summary>
internal sealed class ScimModule : IPlatformModule
{
    public string Platform => "scim";

    public void AddTarget(IServiceCollection services, string targetName, IConfigurationSection section) =>
        services.AddPlatformTarget<ScimTargetOptions>(
            targetName,
            section,
            Authenticate,
            (provider, http, options) => new ScimAdapter(CreateClient(provider, http, options.TargetNamed(targetName, Platform), options), options.TargetNamed(targetName, Platform), options));

    /// <summary>RFC 7644 §2: bearer token; clients should accept application/scim+json and may get plain JSON.</summary>
    internal static void Authenticate(HttpClient http, PlatformTargetOptions options)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(ScimSchemas.MediaType));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
    }

    internal static ScimClient CreateClient(IServiceProvider provider, HttpClient http, PlatformTarget target, PlatformTargetOptions options) => new(
        http,
        target,
        options,
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScimBridge.Platforms.Scim"),
        provider.GetRequiredService<TimeProvider>());

    /// <summary>
    /// A SCIM client inside another platform's target (Cursor creates accounts only over its SCIM endpoint): its own
    /// named HttpClient, bearer token and resilience pipeline, with the options the owning target derives.
    /// </summary>
    internal static void AddEmbeddedClient(IServiceCollection services, string clientName, Func<IServiceProvider, ScimTargetOptions> options)
    {
        services.AddHttpClient(clientName, (provider, http) =>
            {
                var scim = options(provider);
                var root = scim.BaseUrl!.AbsoluteUri;
                http.BaseAddress = new Uri(root.EndsWith('/') ? root : root + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
                Authenticate(http, scim);
            })
            .AddResilienceHandler("platform", (pipeline, context) => PlatformResilience.Configure(
                pipeline,
                options(context.ServiceProvider),
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
    }
}
