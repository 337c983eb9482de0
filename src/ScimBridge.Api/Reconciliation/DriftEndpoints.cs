using System.Globalization;
using ScimBridge.Api.Reports;
using ScimBridge.Core;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// GET /admin/reports/drift[?target=][&amp;format=csv]: per target, the drift of its newest full pass, what failed or
/// was dead-lettered, and what is new or resolved since the pass before (docs/reports.md). Reads stored runs only.
/// </summary>
public static class DriftEndpoints
{
    public static IEndpointRouteBuilder MapDriftReport(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/admin/reports").AddEndpointFilter(AdminEndpoints.RequireOperatorAsync)
            .MapGet("/drift", async (string? target, string? format, DriftReports drift, Mediator.ISender mediator, CancellationToken ct) =>
            {
                if (format is not (null or "json" or "csv"))
                {
                    return Results.Problem(statusCode: 400, title: "Bad format", detail: "format is json or csv.");
                }

                DriftReport report;
                try
                {
                    report = await drift.BuildAsync(target, ct);
                    if (target is null)
                    {
                        report = report with { Idp = await mediator.Send(new Core.IdentityProviders.GetIdpDriftReport(null), ct) };
                    }
                }
                catch (NotFoundException e)
                {
                    return Results.Problem(statusCode: 404, title: "No such target", detail: e.Message);
                }

                return format == "csv" ? Results.Text(Csv(report), ReportCsv.ContentType) : Results.Json(report, Reconciler.ReportJson);
            });
        return routes;
    }

    /// <summary>One row per drift line, with its target's run, for a spreadsheet or a SIEM import.</summary>
    public static string Csv(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new Http.CsvBuilder("target", "platform", "runId", "runStarted", "kind", "subject", "detail", "new");
        foreach (var target in report.Targets)
        {
            foreach (var line in target.Items)
            {
                csv.Row(
                    target.Target, target.Platform, target.RunId?.ToString(), target.RunStarted?.ToString("O", CultureInfo.InvariantCulture),
                    line.Kind, line.Subject, line.Detail, line.New ? "true" : "false");
            }
        }

        return csv.ToString();
    }
}
