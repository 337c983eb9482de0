using FluentValidation;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Auth;
using ScimBridge.Api.Endpoints;
using ScimBridge.Api.Http;
using ScimBridge.Api.Reconciliation;
using ScimBridge.Api.Reports;
using ScimBridge.Api.WebConsole;
using ScimBridge.Core.Pipeline;
using ScimBridge.Core.Resources;
using ScimBridge.Persistence;
using ScimBridge.Platforms;

namespace ScimBridge.Api.Hosting;

/// <summary>The composition root: every service and endpoint of ScimBridge, mapped explicitly.</summary>
public static class ScimBridgeHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "scimbridge.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables("SCIMBRIDGE_");
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ScimOptions>().BindConfiguration(ScimOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HostOptions>().BindConfiguration(HostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConnectionsOptions>().BindConfiguration(ConnectionsOptions.Section).ValidateOnStart();
        services.AddOptions<Persistence.Coordination.CoordinationOptions>()
            .BindConfiguration(Persistence.Coordination.CoordinationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConnectionsOptions>, ConnectionsOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<HostOptions>, HostOptionsValidator>();

        var scim = builder.Configuration.GetSection(ScimOptions.Section).Get<ScimOptions>() ?? new ScimOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = scim.MaxRequestBodyBytes);

        services.AddScimBridgeStorage(builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions());
        services.AddHostedService<StorageInitializer>();
        services.AddPlatforms(builder.Configuration);
        services.AddScimBridgeReconciliation(builder.Configuration);
        IdentityProviders.IdpChecksRegistration.AddIdpChecks(services);
        services.AddScimBridgeReports(builder.Configuration);
        Audit.AuditRegistration.AddScimBridgeAudit(services);
        services.AddWebConsole(builder.Configuration);

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(CreateResource)];
            options.PipelineBehaviors = [typeof(TelemetryBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddValidatorsFromAssemblyContaining<CreateResourceValidator>(ServiceLifetime.Singleton);

        services.AddScimAuthentication(builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions());
        services.AddSingleton<ScimCallerFactory>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ScimExceptionHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddOpenApi();
        builder.AddScimBridgeTelemetry();

        var host = builder.Configuration.GetSection(HostOptions.Section).Get<HostOptions>() ?? new HostOptions();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in host.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else if (System.Net.IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }
        });

        services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(host.ShutdownTimeoutSeconds));

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseMiddleware<ScimRequestMetrics>();
        Audit.AuditRegistration.UseAuditTrail(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        app.UseMiddleware<FailedAuthGate>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGroup("/scim/v2").MapScimDiscovery().MapScimResources().ExcludeFromDescription();
        app.MapHealth();
        app.MapAdmin();
        IdentityProviders.IdpCheckEndpoints.MapIdpChecks(app);
        app.MapReports();
        Audit.AuditEndpoints.MapAudit(app);
        app.MapWebConsole();
        app.MapOpenApi();
        return app;
    }

    // 404 (no route), 405 (wrong method), 415 and friends have no body from the framework; give them one.
    private static Task WriteStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (ScimErrors.IsScimPath(context))
        {
            return ScimErrors.WriteAsync(context, status, null, ScimErrors.DefaultDetail(status));
        }

        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context }).AsTask();
    }
}
