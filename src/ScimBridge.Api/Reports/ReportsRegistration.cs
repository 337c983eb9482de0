using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;

namespace ScimBridge.Api.Reports;

public static class ReportsRegistration
{
    public static IServiceCollection AddScimBridgeReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ActivityOptions>().BindConfiguration(ActivityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ITargetCatalog, ConfiguredTargetCatalog>();
        services.AddSingleton<ICredentialRevocationAudit, RevocationAudit>();
        services.AddSingleton<InventoryReport>();
        services.AddSingleton<RevokeCredential>();
        services.AddSingleton<ConnectorRegister>();
        services.AddSingleton<AccessReview>();
        services.AddSingleton<ActivityIngestor>();
        services.AddSingleton<ActivityReport>();

        var activity = configuration.GetSection(ActivityOptions.Section).Get<ActivityOptions>() ?? new ActivityOptions();
        if (activity.Scheduled)
        {
            services.AddHostedService<ActivityIngestionScheduler>();
        }

        return services;
    }
}
