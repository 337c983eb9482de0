using ScimBridge.Persistence.Audit;

namespace ScimBridge.Api.Audit;

public static class AuditRegistration
{
    /// <summary>The audit trail: its store and writer, options (validated on start) and the retention job.</summary>
    public static IServiceCollection AddScimBridgeAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScimBridgeAuditStorage();
        services.AddHostedService<AuditRetention>();
        return services;
    }

    /// <summary>Records SCIM requests and /admin changes; put it outside the exception handler so it sees final statuses.</summary>
    public static IApplicationBuilder UseAuditTrail(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();
}
