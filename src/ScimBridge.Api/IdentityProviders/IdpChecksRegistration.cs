using Microsoft.Extensions.Options;
using ScimBridge.Core.IdentityProviders;
using ScimBridge.Persistence.IdentityProviders;

namespace ScimBridge.Api.IdentityProviders;

public static class IdpChecksRegistration
{
    /// <summary>IdP read access, the check use cases' services, their storage and the scheduler (which idles with no schedule).</summary>
    public static IServiceCollection AddIdpChecks(this IServiceCollection services)
    {
        services.AddOptions<IdpChecksOptions>().BindConfiguration(IdpChecksOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdpChecksOptions>, IdpChecksOptionsValidator>();
        services.AddIdpCheckStorage();
        services.AddSingleton<IdpCheckGate>();
        services.AddScoped<RepairExecutor>();
        services.AddHttpClient(IdpCheckRegistry.OktaHttpClient, client => client.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<IIdpCheckRegistry, IdpCheckRegistry>();
        services.AddHostedService<IdpCheckScheduler>();
        return services;
    }
}
