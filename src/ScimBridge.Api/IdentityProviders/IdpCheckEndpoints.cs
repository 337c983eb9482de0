using System.Globalization;
using Mediator;
using ScimBridge.Api.Reconciliation;
using ScimBridge.Api.Reports;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Api.IdentityProviders;

/// <summary>POST /admin/idp-checks: <c>Connection</c> (default: every configured one); <c>Repair</c> overrides the connection's mode for this run.</summary>
public sealed record IdpCheckBody(string? Connection = null, bool? Repair = null);

/// <summary>On-demand IdP checks and their results, under the /admin operator token. ProblemDetails on errors.</summary>
public static class IdpCheckEndpoints
{
    public static IEndpointRouteBuilder MapIdpChecks(this IEndpointRouteBuilder routes)
    {
        var checks = routes.MapGroup("/admin/idp-checks").AddEndpointFilter(AdminEndpoints.RequireOperatorAsync);

        checks.MapPost("/", async (IdpCheckBody? body, IIdpCheckRegistry registry, IMediator mediator, CancellationToken ct) =>
        {
            if (registry.Connections.Count == 0)
            {
                return Results.Problem(statusCode: 409, title: "No IdP checks configured", detail: "Configure IdentityProviders:Connections:<connection> (docs/idp-checks.md).");
            }

            var reports = await mediator.Send(new RunIdpCheck(body?.Connection, "operator", body?.Repair), ct);
            return Results.Json(reports, IdpCheckReport.Json);
        });

        checks.MapGet("/", async (string? connection, int? limit, IMediator mediator, CancellationToken ct) =>
            Results.Json((await mediator.Send(new ListIdpChecks(connection, limit ?? 50), ct)).Select(r => new
            {
                r.Id, r.Connection, r.Trigger, r.Status, r.Findings, r.Started, r.Finished,
            }), IdpCheckReport.Json));

        checks.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Text((await mediator.Send(new GetIdpCheck(id), ct)).ReportJson, "application/json"));

        // Beside the platform drift report (/admin/reports/drift), in the same shapes: JSON, or one CSV row per finding.
        routes.MapGroup("/admin/reports").AddEndpointFilter(AdminEndpoints.RequireOperatorAsync)
            .MapGet("/idp", async (string? connection, string? format, IMediator mediator, CancellationToken ct) =>
            {
                if (format is not (null or "json" or "csv"))
                {
                    return Results.Problem(statusCode: 400, title: "Bad format", detail: "format is json or csv.");
                }

                var report = await mediator.Send(new GetIdpDriftReport(connection), ct);
                return format == "csv" ? Results.Text(Csv(report), ReportCsv.ContentType) : Results.Json(report, IdpCheckReport.Json);
            });

        return routes;
    }

    /// <summary>One row per finding of each connection's newest completed check.</summary>
    public static string Csv(IdpDriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new Http.CsvBuilder(
            "connection", "runId", "runStarted", "kind", "userName", "groupName", "idpUserId", "idpGroupId", "scimUserId", "scimGroupId", "new", "repaired");
        foreach (var connection in report.Connections)
        {
            foreach (var line in connection.Items)
            {
                var f = line.Finding;
                csv.Row(
                    connection.Connection, connection.RunId?.ToString(), connection.RunStarted?.ToString("O", CultureInfo.InvariantCulture), f.Kind.ToString(),
                    f.UserName, f.GroupName, f.IdpUserId, f.IdpGroupId, f.ScimUserId, f.ScimGroupId, line.New ? "true" : "false", line.Repaired ? "true" : "false");
            }
        }

        return csv.ToString();
    }
}
