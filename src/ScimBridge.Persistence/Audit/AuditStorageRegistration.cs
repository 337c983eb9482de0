using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Audit;

namespace ScimBridge.Persistence.Audit;

public static class AuditStorageRegistration
{
    /// <summary>The audit chain's store and group-committing writer, over whichever database the storage uses.</summary>
    public static IServiceCollection AddScimBridgeAuditStorage(this IServiceCollection services)
    {
        services.AddSingleton<AuditStore>();
        services.AddSingleton<IAuditStore>(provider => provider.GetRequiredService<AuditStore>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<AuditLog>());
        return services;
    }
}
