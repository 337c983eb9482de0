using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Platforms.Http;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Platforms.Cursor;

/// <summary>Platform "cursor": a Cursor team's Admin API, plus its SCIM endpoint when the target has a Scim section.</summary>
internal sealed class CursorModule : IPlatformModule
{
    public string Platform => "cursor";

    public void AddTarget(IServiceCollection services, string targetName, IConfigurationSection section)
    {
        // Decided from configuration, so the adapter's type (and so its capabilities) says whether it can invite.
        var withScim = section.GetSection("Scim").Exists();
        var scimClientName = $"platform:{targetName}:scim";
        if (withScim)
        {
            ScimModule.AddEmbeddedClient(services, scimClientName, provider => provider.GetRequiredService<IOptionsMonitor<CursorOptions>>().Get(targetName).ScimTarget());
        }

        services.AddPlatformTarget<CursorOptions>(targetName, section, Authenticate, (provider, http, options) =>
        {
            var target = options.TargetNamed(targetName, Platform);
            var time = provider.GetRequiredService<TimeProvider>();
            var client = new CursorClient(http, target, options, provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScimBridge.Platforms.Cursor"), time);
            if (!withScim)
            {
                return new CursorAdapter(client, target, options, time);
            }

            var scimOptions = options.ScimTarget();
            var scimHttp = provider.GetRequiredService<IHttpClientFactory>().CreateClient(scimClientName);
            var scim = new ScimAdapter(ScimModule.CreateClient(provider, scimHttp, target, scimOptions), target, scimOptions);
            return new CursorScimAdapter(client, target, options, time, scim);
        });
    }

    // Basic auth with the key as username and an empty password ("-u KEY:"), cursor.com/docs/api#basic-authentication.
    private static void Authenticate(HttpClient http, CursorOptions options) =>
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ApiKey + ":")));
}
