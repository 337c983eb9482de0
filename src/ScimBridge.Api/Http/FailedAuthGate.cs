using System.Globalization;
using ScimBridge.Api.Auth;

namespace ScimBridge.Api.Http;

/// <summary>Answers 429 to an address that has failed authentication too often, before any credential check.</summary>
public sealed class FailedAuthGate(RequestDelegate next, FailedAuthThrottle throttle)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (ScimErrors.IsScimPath(context) && throttle.IsBlocked(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return ScimErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, null, "Too many failed authentication attempts; retry later.");
        }

        return next(context);
    }
}
