using ScimBridge.Api.Reconciliation;
using ScimBridge.Core.Audit;

namespace ScimBridge.Api.Audit;

/// <summary>
/// GET /admin/audit (filters, keyset paging newest first), /admin/audit/export (JSONL or CSV, streamed oldest first) and
/// /admin/audit/verify (the first broken link, if any). Behind the same operator check as the rest of /admin; readers
/// may use all three. Bad filters answer 400 ProblemDetails listing every problem.
/// </summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/admin/audit").AddEndpointFilter(AdminEndpoints.RequireOperatorAsync);

        audit.MapGet("/", async (HttpContext context, IAuditStore store, CancellationToken ct) =>
        {
            var (query, problems) = Parse(context.Request.Query);
            if (problems.Count > 0)
            {
                return BadFilters(problems);
            }

            var page = await store.QueryAsync(query, ct);
            return Results.Json(new
            {
                events = page.Events.Select(AuditFormats.ToJson),
                nextCursor = page.NextCursor?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });

        audit.MapGet("/export", (HttpContext context, IAuditStore store) =>
        {
            var format = context.Request.Query["format"].ToString() is { Length: > 0 } f ? f : "jsonl";
            var (query, problems) = Parse(context.Request.Query);
            if (format is not ("jsonl" or "csv"))
            {
                problems.Add("format must be jsonl or csv.");
            }

            if (problems.Count > 0)
            {
                return BadFilters(problems);
            }

            return Results.Stream(
                async body =>
                {
                    await using var writer = new StreamWriter(body, AuditFormats.Utf8, bufferSize: 16 * 1024, leaveOpen: true);
                    await AuditFormats.WriteExportAsync(writer, format, store.ReadAsync(query, 0, context.RequestAborted), context.RequestAborted);
                },
                format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
                fileDownloadName: $"scimbridge-audit.{format}");
        });

        audit.MapGet("/verify", async (IAuditStore store, CancellationToken ct) =>
        {
            var anchor = await store.GetAnchorAsync(ct);
            var result = await AuditVerifier.VerifyAsync(anchor, store.ReadAsync(new AuditQuery(), anchor.BaseSequence, ct), ct);
            return Results.Json(AuditFormats.ToJson(result));
        });

        return routes;
    }

    private static (AuditQuery Query, List<string> Problems) Parse(IQueryCollection q) =>
        AuditFormats.Parse(q["from"], q["to"], q["kind"], q["connection"], q["target"], q["actor"], q["outcome"], q["resource"], q["cursor"], q["limit"]);

    private static IResult BadFilters(List<string> problems) =>
        Results.Problem(statusCode: 400, title: "Bad audit query", detail: string.Join(" ", problems),
            extensions: new Dictionary<string, object?> { ["errors"] = problems });
}
