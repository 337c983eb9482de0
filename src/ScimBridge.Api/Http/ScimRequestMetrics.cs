using ScimBridge.Api.Auth;
using ScimBridge.Core;

namespace ScimBridge.Api.Http;

/// <summary>scim.requests{idp, op, status}: counted after the exception handler has set the final status.</summary>
public sealed class ScimRequestMetrics(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ScimErrors.IsScimPath(context))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            ScimBridgeTelemetry.ScimRequests.Add(
                1,
                new KeyValuePair<string, object?>("idp", context.GetConnection()?.Kind.ToString().ToLowerInvariant() ?? "none"),
                new KeyValuePair<string, object?>("op", context.Request.Method),
                new KeyValuePair<string, object?>("status", context.Response.StatusCode));
        }
    }
}
