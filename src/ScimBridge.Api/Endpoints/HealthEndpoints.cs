using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScimBridge.Api.Endpoints;

/// <summary>Liveness and readiness for orchestrators, described in the OpenAPI document.</summary>
public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");

        health.MapGet("/live", () => TypedResults.Ok(new HealthResponse("Healthy", new Dictionary<string, string>())))
            .WithName("Liveness")
            .WithSummary("The process is up and serving requests.");

        health.MapGet("/ready", async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> (HealthCheckService checks, CancellationToken cancellationToken) =>
            {
                var report = await checks.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
                var body = new HealthResponse(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()));
                return report.Status == HealthStatus.Unhealthy
                    ? TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable)
                    : TypedResults.Ok(body);
            })
            .WithName("Readiness")
            .WithSummary("The service can take traffic: its database answers.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
