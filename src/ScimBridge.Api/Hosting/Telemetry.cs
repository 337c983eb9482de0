using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScimBridge.Core;

namespace ScimBridge.Api.Hosting;

/// <summary>OpenTelemetry logs, metrics and traces (eShop's ServiceDefaults); OTLP export only when configured.</summary>
public static class Telemetry
{
    public static WebApplicationBuilder AddScimBridgeTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ScimBridgeTelemetry.Name));

        // OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) configure the exporter, as in eShop. Traces
        // are recorded only when they go somewhere: an unexported span per request is pure cost on the hot path.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(tracing => tracing
                    .AddSource(ScimBridgeTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }
}
