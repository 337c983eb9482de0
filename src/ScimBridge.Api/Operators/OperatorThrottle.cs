using Microsoft.Extensions.Options;
using ScimBridge.Api.Auth;

namespace ScimBridge.Api.Operators;

/// <summary>
/// Failed operator sign-ins and bad /admin credentials, counted per client address with the same limits as SCIM
/// (Auth:MaxFailuresPerWindow per Auth:FailureWindowSeconds) but in their own counters: an operator mistyping a
/// password must not get Entra's or Okta's provisioning throttled, nor a sprayed SCIM endpoint lock operators out.
/// </summary>
public sealed class OperatorThrottle(TimeProvider clock, IOptions<AuthOptions> options)
{
    private readonly FailedAuthThrottle _failures = new(clock, options);

    public bool IsBlocked(HttpContext context, out TimeSpan retryAfter) => _failures.IsBlocked(context.Connection.RemoteIpAddress, out retryAfter);

    public void RecordFailure(HttpContext context) => _failures.RecordFailure(context.Connection.RemoteIpAddress);
}
