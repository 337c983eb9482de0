using ScimBridge.Api.Reconciliation;
using ScimBridge.Core;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;

namespace ScimBridge.Api.Reports;

/// <summary>
/// The operator reports under /admin/reports (docs/reports.md): JSON by default, <c>?format=csv</c> for CSV. Behind the
/// same operator filter as the rest of /admin; errors are ProblemDetails (400 bad parameter, 404 unknown target or
/// key, 409 no policy or a platform that cannot revoke).
/// </summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/admin/reports").AddEndpointFilter(AdminEndpoints.RequireOperatorAsync).AddEndpointFilter(MapErrorsAsync);

        reports.MapGet("/inventory", async (string? target, string? flag, string? format, InventoryReport inventory, CancellationToken ct) =>
            Respond(format, await inventory.BuildAsync(target, flag, ct), ReportCsv.Inventory));

        reports.MapPost("/inventory/revoke", async (RevokeRequest body, RevokeCredential revoke, HttpContext http, CancellationToken ct) =>
            Results.Json(await revoke.RevokeAsync(body, Actor(http), ct), ReportJson.Options));

        reports.MapGet("/connectors", async (string? format, ConnectorRegister register, CancellationToken ct) =>
            Respond(format, await register.BuildAsync(ct), ReportCsv.Connectors));

        reports.MapGet("/activity", async (string? target, string? flag, int? limit, string? cursor, string? format, ActivityReport activity, HttpContext http, CancellationToken ct) =>
        {
            var page = await activity.ListAsync(target, flag, limit, cursor, ct);
            if (IsCsv(format) && page.Next is not null)
            {
                // CSV has no envelope: the next page's cursor travels in a header.
                http.Response.Headers["X-Next-Cursor"] = page.Next;
            }

            return Respond(format, page, ReportCsv.Activity);
        });

        // Ingests now instead of waiting for the schedule (Activity:IngestInterval); what the schedule runs.
        reports.MapPost("/activity/ingest", async (string? target, ActivityIngestor ingestor, CancellationToken ct) =>
            Results.Json(new { targets = await ingestor.IngestAsync(target, ct) }, ReportJson.Options));

        reports.MapGet("/access-review", async (string? target, string? format, AccessReview review, CancellationToken ct) =>
            Respond(format, await review.BuildAsync(target, ct), ReportCsv.AccessReview));

        return routes;
    }

    /// <summary>Who the operator is, for the audit: the authenticated name when the console's auth gives one.</summary>
    internal static string Actor(HttpContext http) => http.User.Identity?.Name is { Length: > 0 } name ? name : "operator";

    private static bool IsCsv(string? format) => string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);

    private static IResult Respond<T>(string? format, T report, Func<T, string> csv) => format switch
    {
        null or "json" => Results.Json(report, ReportJson.Options),
        _ when IsCsv(format) => Results.Text(csv(report), ReportCsv.ContentType),
        _ => Results.Problem(statusCode: 400, title: "Bad format", detail: "format is json or csv."),
    };

    private static async ValueTask<object?> MapErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: 400, title: "Bad request", detail: e.Message);
        }
        catch (NotFoundException e)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: e.Message);
        }
        catch (ConflictException e)
        {
            return Results.Problem(statusCode: 409, title: "Conflict", detail: e.Message);
        }
        catch (Core.Platforms.PlatformException e)
        {
            // The platform failed while revoking (not a refusal): the operator may retry. Messages are already redacted.
            return Results.Problem(statusCode: 502, title: "Platform error", detail: e.Message);
        }
    }
}
