using System.Diagnostics;
using ScimBridge.Api.Auth;
using ScimBridge.Core.Audit;

namespace ScimBridge.Api.Audit;

/// <summary>
/// Records every request to /scim/v2 and every change (non-GET) under /admin. Never the body, the query string or a
/// header: only who (connection or operator), what (method, resource type and id, operation), the status and the
/// request id. A change's event is committed before its response starts (Response.OnStarting, or before the
/// pipeline returns for bodyless answers), so no acknowledged change lacks its event; a read's event is queued for the
/// next group commit and never waited for.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit, Microsoft.Extensions.Options.IOptions<AuditOptions> options, ILogger<AuditMiddleware> logger)
{
    private readonly bool _scimReads = options.Value.ScimReads;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var scim = request.Path.StartsWithSegments("/scim/v2", out var scimRest);
        if (!scim && !(request.Path.StartsWithSegments("/admin") && !IsReadOnly(request.Method))
            || scim && !_scimReads && (IsReadOnly(request.Method) || scimRest.Value?.EndsWith("/.search", StringComparison.Ordinal) == true))
        {
            await next(context);
            return;
        }

        // Captured now: the request's activity may be gone by the time the response starts.
        var requestId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        var durable = !IsReadOnly(request.Method) && !(scim && scimRest.Value?.EndsWith("/.search", StringComparison.Ordinal) == true);
        var recorded = 0;
        var failed = false;
        if (durable)
        {
            context.Response.OnStarting(() => Interlocked.Exchange(ref recorded, 1) == 0 ? AppendAsync(context, Build(context, scim, scimRest, requestId, failed)) : Task.CompletedTask);
        }

        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                var auditEvent = Build(context, scim, scimRest, requestId, failed);
                if (durable)
                {
                    // The response has not started (or OnStarting would have recorded): the client has nothing yet.
                    await AppendAsync(context, auditEvent);
                }
                else
                {
                    audit.Record(auditEvent);
                }
            }
        }
    }

    private static string? Dialect(Core.Connections.IdpKind? kind) => kind switch
    {
        null => null,
        Core.Connections.IdpKind.Entra => "entra",
        Core.Connections.IdpKind.Okta => "okta",
        _ => "generic",
    };

    private static bool IsReadOnly(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private async Task AppendAsync(HttpContext context, AuditEvent auditEvent)
    {
        try
        {
            // Not the request's token: a client that hangs up after its change was made must not erase the record of it.
            await audit.AppendAsync([auditEvent], CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            // The change itself is already committed; failing its response now would only make the IdP retry a write
            // that happened. The failure is logged loudly instead (ADR 0011).
            logger.AuditWriteFailed(e, context.Request.Method, context.Request.Path, context.Response.StatusCode);
        }
    }

    private static AuditEvent Build(HttpContext context, bool scim, PathString scimRest, string requestId, bool failed)
    {
        var request = context.Request;
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var path = (request.PathBase + request.Path).ToString();
        if (!scim)
        {
            var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            // The operator check (Operators/OperatorAuthenticator) makes the operator HttpContext.User, named "admin-token"
            // for the shared token; a caller it refused, or a path it never ran for, is nobody we know.
            var actor = context.User.Identity?.Name ?? "anonymous";
            return AuditEvents.OperatorAction(
                actor, request.Method, path, status, requestId,
                segments.Length > 1 ? segments[1] : null, segments.Length > 2 ? segments[2] : null);
        }

        var parts = (scimRest.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var collection = parts.Length > 0 ? parts[0] : null;
        var id = parts.Length > 1 && parts[1] != ".search" ? Uri.UnescapeDataString(parts[1]) : null;
        if (id is null && HttpMethods.IsPost(request.Method) && status == StatusCodes.Status201Created
            && context.Response.Headers.Location.ToString() is { Length: > 0 } location)
        {
            id = Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]);
        }

        var action = request.Method switch
        {
            "GET" => id is null && collection is "Users" or "Groups" ? "list" : "read",
            "POST" => parts.Length > 1 && parts[1] == ".search" ? "search" : "create",
            "PUT" => "replace",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        var resourceType = collection switch
        {
            "Users" => "User",
            "Groups" => "Group",
            _ => collection,
        };
        var connection = context.GetConnection();
        return AuditEvents.ScimRequest(
            connection?.Name, Dialect(connection?.Kind), request.Method, path, resourceType, id, action, status, requestId);
    }
}
