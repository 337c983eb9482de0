using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

public static class ReconciliationRegistration
{
    public static IServiceCollection AddScimBridgeReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddSingleton<PolicyFileProvider>();
        services.AddSingleton<IPolicyProvider>(provider => provider.GetRequiredService<PolicyFileProvider>());
        services.AddSingleton<IdentitySource>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<DriftReports>();

        var options = configuration.GetSection(ReconciliationOptions.Section).Get<ReconciliationOptions>() ?? new ReconciliationOptions();
        if (options.Worker)
        {
            services.AddSingleton<RetentionSweeper>();
            services.AddHostedService(provider => provider.GetRequiredService<RetentionSweeper>());
        }

        if (options.Worker && !string.IsNullOrWhiteSpace(options.PolicyPath))
        {
            services.AddHostedService<ReconcileWorker>();
            services.AddHostedService<FullPassScheduler>();
        }

        return services;
    }
}
