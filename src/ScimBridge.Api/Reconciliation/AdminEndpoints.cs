using ScimBridge.Core;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// Section <c>Admin</c>: operator credentials for /admin and the console (src/ScimBridge.Api/Operators, ADR 0014): a shared
/// bearer token (an admin), named operators with password hashes, and operator JWTs. None set: the /admin API is off (403).
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>A bearer token acting as an admin named "admin-token". Give it through an environment variable or a mounted secret.</summary>
    public string? Token { get; set; }

    /// <summary>Console operators (<c>Admin:Operators:N:{Name, Role, PasswordHash}</c>).</summary>
    public IList<ScimBridge.Api.Operators.OperatorAccount> Operators { get; } = [];

    public ScimBridge.Api.Operators.OperatorJwtOptions Jwt { get; set; } = new();

    public ScimBridge.Api.Operators.OperatorSessionOptions Session { get; set; } = new();
}

/// <summary>POST /admin/reconcile. <c>Policy</c> (YAML text) previews a candidate policy: always a dry run.</summary>
public sealed record ReconcileBody(string? Target, bool DryRun, bool ConfirmRemovals, string? Policy = null);

public sealed record PreviewBody(string Connection, string UserName);

/// <summary>
/// Operators' reconciliation API: run on demand (dry run or apply, one target or all), read runs and their reports, see
/// the policy in force (or why none is), and preview an identity's access with the reasons. ProblemDetails on errors.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").AddEndpointFilter(RequireOperatorAsync);

        admin.MapPost("/reconcile", async (ReconcileBody body, Reconciler reconciler, Core.Platforms.IPlatformRegistry platforms, CancellationToken ct) =>
        {
            MappingPolicy? candidate = null;
            if (body.Policy is { } yaml)
            {
                var checkedPolicy = PolicyFileProvider.Check(yaml, platforms);
                if (!checkedPolicy.Succeeded)
                {
                    return Results.Problem(
                        statusCode: 400,
                        title: "Invalid policy",
                        detail: string.Join("; ", checkedPolicy.Errors),
                        extensions: new Dictionary<string, object?> { ["errors"] = checkedPolicy.Errors.Select(e => new { e.Line, e.Column, e.Message }) });
                }

                candidate = checkedPolicy.Policy;
            }

            var request = new ReconcileRequest(body.Target, ReconcileScope.Full, body.DryRun || candidate is not null, candidate is null ? ReconcileTriggers.Operator : ReconcileTriggers.OperatorPreview)
            {
                ConfirmRemovals = body.ConfirmRemovals,
                CandidatePolicy = candidate,
            };
            return Results.Json(await reconciler.ReconcileAsync(request, ct), Reconciler.ReportJson);
        });

        admin.MapGet("/runs", async (string? target, int? limit, IReconciliationStore store, CancellationToken ct) =>
            Results.Json((await store.ListRunsAsync(target, Math.Clamp(limit ?? 50, 1, 500), ct)).Select(r => new
            {
                r.Id, r.Target, r.Trigger, r.DryRun, r.Status, r.Started, r.Finished,
            })));

        admin.MapGet("/runs/{id:guid}", async (Guid id, IReconciliationStore store, CancellationToken ct) =>
            await store.GetRunAsync(id, ct) is { } run
                ? Results.Text(run.ReportJson, "application/json")
                : Results.Problem(statusCode: 404, title: "No such run", detail: $"No reconciliation run {id}."));

        // Propagation work: "failed" is the dead letter (with the reason), "pending" what is queued or waiting to retry.
        admin.MapGet("/work", async (string? state, string? kind, int? limit, Core.Coordination.IWorkQueueInspector work, CancellationToken ct) =>
            state is null or "pending" or "failed" or "done"
                ? Results.Json(await work.ListAsync(state ?? "failed", kind, Math.Clamp(limit ?? 100, 1, 1000), ct))
                : Results.Problem(statusCode: 400, title: "Bad state", detail: "state is pending, failed or done."));

        admin.MapPost("/work/{id:long}/retry", async (long id, Core.Coordination.IWorkQueueInspector work, CancellationToken ct) =>
            await work.RequeueAsync(id, ct)
                ? Results.NoContent()
                : Results.Problem(statusCode: 404, title: "No such dead letter", detail: $"Work item {id} is not dead-lettered."));

        admin.MapGet("/policy", (IPolicyProvider policies) =>
        {
            var current = policies.Current;
            return Results.Json(new
            {
                loaded = current.Policy is not null,
                source = current.Source,
                loadedAt = current.LoadedAt,
                targets = current.Policy?.Targets.Values.Select(t => new { t.Name, mode = t.Mode.ToString().ToLowerInvariant(), unmanagedAccess = t.Unmanaged.ToString().ToLowerInvariant(), t.MaxRemovalShare, t.Containers }),
                rules = current.Policy?.Rules.Select(r => r.Name),
                errors = current.Errors.Select(e => new { e.Line, e.Column, e.Message }),
            });
        });

        admin.MapPost("/policy/preview", async (PreviewBody body, IPolicyProvider policies, IdentitySource identities, Core.Platforms.IPlatformRegistry platforms, CancellationToken ct) =>
        {
            if (policies.Current.Policy is not { } policy)
            {
                return Results.Problem(statusCode: 409, title: "No policy", detail: string.Join("; ", policies.Current.Errors));
            }

            if (await identities.FindAsync(body.Connection, body.UserName, ct) is { } identity)
            {
                var evaluator = new PolicyEvaluator(policy, platforms.Adapters.ToDictionary(a => a.Target.Name, a => a.Target.Platform));
                return Results.Json(new { identity = identity.Identity.UserName, email = identity.Email, active = identity.Identity.Active, access = evaluator.Evaluate(identity.Identity) });
            }

            return Results.Problem(statusCode: 404, title: "No such identity", detail: $"Connection '{body.Connection}' has no user '{body.UserName}'.");
        }).WithMetadata(new Operators.OperatorAuthenticator.ReadOnlyOperation()); // a reader may preview: nothing changes

        routes.MapDriftReport();
        return routes;
    }

    // Who may call /admin and with which role lives in Operators/OperatorAuthenticator (token, JWT, console session).
    internal static async ValueTask<object?> RequireOperatorAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (await context.HttpContext.RequestServices.GetRequiredService<Operators.OperatorAuthenticator>().AuthorizeAsync(context.HttpContext) is { } refused)
        {
            return refused;
        }

        try
        {
            return await next(context);
        }
        catch (NotFoundException e)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("No valid mapping policy", StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: 409, title: "No policy", detail: e.Message);
        }
    }
}
