using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;

namespace ScimBridge.Api.Operators;

/// <summary>
/// Who may use /admin, and for what. A caller proves who they are with the shared Admin:Token bearer (an admin named
/// "admin-token"), an operator JWT (Admin:Jwt, role from a claim) or a console session cookie (Admin:Operators);
/// a reader may only read (GET, HEAD), an admin may also change things; a cookie-authenticated change must carry the
/// session's CSRF token in <see cref="CsrfHeader"/>. Answers are ProblemDetails: 403 when no operator credential is
/// configured at all or the role does not allow the call, 401 for a missing or wrong credential, 429 after too many
/// failures from one address. On success the operator becomes HttpContext.User (Identity.Name is the audit actor).
/// </summary>
public sealed class OperatorAuthenticator(
    IOptionsMonitor<AdminOptions> options, OperatorSessions sessions, OperatorThrottle throttle, ILogger<OperatorAuthenticator> logger)
{
    public const string JwtScheme = "OperatorJwt";
    public const string CsrfHeader = "X-ScimBridge-Csrf";

    /// <summary>Null when the request may go on (and <see cref="HttpContext.User"/> is the operator), else the answer.</summary>
    public async ValueTask<IResult?> AuthorizeAsync(HttpContext http)
    {
        var admin = options.CurrentValue;
        if (string.IsNullOrEmpty(admin.Token) && admin.Operators.Count == 0 && !admin.Jwt.Enabled)
        {
            return Results.Problem(statusCode: 403, title: "Admin API disabled",
                detail: "Set Admin:Token (from a secret), Admin:Operators or Admin:Jwt to enable the /admin API.");
        }

        if (throttle.IsBlocked(http, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: 429, title: "Too many failed attempts", detail: "Too many failed operator authentications from this address; retry later.");
        }

        var (principal, problem) = await AuthenticateAsync(http, admin);
        if (problem is not null)
        {
            return problem;
        }

        if (!IsReadOnly(http.Request.Method) && http.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyOperation>() is null && !principal!.IsInRole(OperatorRoles.Admin))
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: $"The {OperatorRoles.Reader} role may only read; this needs the {OperatorRoles.Admin} role.");
        }

        http.User = principal!;
        return null;
    }

    /// <summary>
    /// Marks a POST that only reads (a body too rich for a query string, such as a policy preview), so a reader may call
    /// it. Cookie callers still send the CSRF token: the rule for that is about the method, not the effect.
    /// </summary>
    public sealed class ReadOnlyOperation;

    public static bool IsReadOnly(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private async Task<(ClaimsPrincipal? Principal, IResult? Problem)> AuthenticateAsync(HttpContext http, AdminOptions admin)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";

            // Compared by SHA-256 digest in constant time, so neither the token's length nor a prefix leaks.
            if (!string.IsNullOrEmpty(admin.Token) && token.Length > 0
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(admin.Token))))
            {
                return (OperatorPrincipal.Create(OperatorPrincipal.TokenOperatorName, OperatorRoles.Admin, "token"), null);
            }

            if (admin.Jwt.Enabled && token.Count(c => c == '.') == 2)
            {
                return await JwtAsync(http, admin.Jwt);
            }

            return Refused(http, "bearer token not recognised");
        }

        if (http.Request.Cookies[OperatorSessions.CookieName] is { } cookie)
        {
            if (sessions.Read(cookie) is not { } session)
            {
                // Expired or signed out: not a guess (a forged cookie needs the HMAC key), so not counted as a failure.
                return (null, Unauthorized("The console session has expired or ended; sign in again."));
            }

            if (!IsReadOnly(http.Request.Method) && !CsrfMatches(http, session))
            {
                return (null, Results.Problem(statusCode: 403, title: "CSRF check failed",
                    detail: $"A change made with a console session must send the session's CSRF token in the {CsrfHeader} header."));
            }

            return (OperatorPrincipal.Create(session.Name, session.Role, "session"), null);
        }

        return (null, Unauthorized("The /admin API needs the operator bearer token, an operator JWT or a console session."));
    }

    private async Task<(ClaimsPrincipal? Principal, IResult? Problem)> JwtAsync(HttpContext http, OperatorJwtOptions jwt)
    {
        var result = await http.AuthenticateAsync(JwtScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            return Refused(http, "operator JWT not valid");
        }

        var roles = result.Principal.FindAll(jwt.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var role = jwt.EffectiveAdminRoles.Any(roles.Contains) ? OperatorRoles.Admin
            : jwt.EffectiveReaderRoles.Any(roles.Contains) ? OperatorRoles.Reader
            : null;
        if (role is null)
        {
            return (null, Results.Problem(statusCode: 403, title: "Forbidden", detail: $"The token's '{jwt.RoleClaim}' claim names no ScimBridge operator role."));
        }

        // The operator's name for the audit trail: a person's sign-in name, else the application's client id, else sub.
        var name = result.Principal.FindFirst("preferred_username")?.Value ?? result.Principal.FindFirst("upn")?.Value
            ?? result.Principal.FindFirst("azp")?.Value ?? result.Principal.FindFirst("appid")?.Value
            ?? result.Principal.FindFirst("client_id")?.Value ?? result.Principal.FindFirst("sub")?.Value ?? "jwt";
        return (OperatorPrincipal.Create(name, role, "jwt"), null);
    }

    private (ClaimsPrincipal?, IResult?) Refused(HttpContext http, string reason)
    {
        throttle.RecordFailure(http);
        logger.CredentialRefused(http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(), reason);
        return (null, Unauthorized("The /admin API needs the operator bearer token, an operator JWT or a console session."));
    }

    internal static bool CsrfMatches(HttpContext http, OperatorSession session)
    {
        var given = http.Request.Headers[CsrfHeader].ToString();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(session.Csrf));
    }

    private static IResult Unauthorized(string detail) => Results.Problem(statusCode: 401, title: "Unauthorized", detail: detail);
}
