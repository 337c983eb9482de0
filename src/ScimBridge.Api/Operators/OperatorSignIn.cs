using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;
using ScimBridge.Core.Audit;

namespace ScimBridge.Api.Operators;

public sealed record SignInBody(string? Name, string? Password);

/// <summary>
/// The console's sign-in, session and sign-out calls (/console/api). Sign-in checks a configured operator's password
/// hash and sets the session cookie: HttpOnly, SameSite=Strict, Secure when the request came over https (directly or
/// through a trusted proxy). It takes JSON only, so a cross-site form cannot post to it. Failures are throttled per
/// address like bad /admin credentials, and an unknown name costs the same PBKDF2 time as a wrong password. Every
/// sign-in that is checked, and every sign-out, is an operator.action event in the audit trail (never the password).
/// </summary>
public static class OperatorSignIn
{
    public static RouteGroupBuilder MapOperatorSignIn(this RouteGroupBuilder api)
    {
        api.MapPost("/sign-in", async (SignInBody body, HttpContext http, IOptionsMonitor<AdminOptions> options, OperatorSessions sessions,
            OperatorThrottle throttle, IAuditLog audit, ILoggerFactory loggers) =>
        {
            var admin = options.CurrentValue;
            if (admin.Operators.Count == 0)
            {
                return Results.Problem(statusCode: 403, title: "Console sign-in disabled", detail: "No operators are configured (Admin:Operators).");
            }

            var name = body.Name?.Trim() ?? "";
            var account = admin.Operators.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

            // A name that is not an operator may be a password typed into the wrong field: never recorded as given.
            var actor = account?.Name ?? UnknownOperator;
            if (throttle.IsBlocked(http, out var retryAfter))
            {
                // Not audited one by one: the failures that led here were, and a flood must not grow the trail.
                http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: 429, title: "Too many failed attempts", detail: "Too many failed sign-ins from this address; retry later.");
            }

            var password = body.Password ?? "";
            var verified = account is not null
                ? OperatorPasswordHasher.Verify(account.PasswordHash, password)
                : OperatorPasswordHasher.VerifyDecoy(password);
            var logger = loggers.CreateLogger(typeof(OperatorSignIn));
            if (!verified || account is null)
            {
                throttle.RecordFailure(http);
                logger.SignInRefused(actor, http.Connection.RemoteIpAddress?.ToString());
                await RecordAsync(audit, http, actor, "/console/api/sign-in", StatusCodes.Status401Unauthorized);
                return Results.Problem(statusCode: 401, title: "Sign-in failed", detail: "Wrong name or password.");
            }

            var (cookie, session) = sessions.Issue(account);
            http.Response.Cookies.Append(OperatorSessions.CookieName, cookie, CookieOptions(http, session.Expires));
            logger.SignedIn(account.Name, account.Role);
            await RecordAsync(audit, http, account.Name, "/console/api/sign-in", StatusCodes.Status200OK);
            return Results.Json(Describe(session));
        });

        api.MapGet("/session", (HttpContext http, OperatorSessions sessions) =>
            sessions.Read(http.Request.Cookies[OperatorSessions.CookieName]) is { } session
                ? Results.Json(Describe(session))
                : Results.Problem(statusCode: 401, title: "Not signed in", detail: "No console session; sign in."));

        // Sign-out is a change, so it needs the CSRF header like any other; the cookie is cleared whatever happens.
        api.MapPost("/sign-out", async (HttpContext http, OperatorSessions sessions, IAuditLog audit, ILoggerFactory loggers) =>
        {
            var session = sessions.Read(http.Request.Cookies[OperatorSessions.CookieName]);
            if (session is not null)
            {
                if (!OperatorAuthenticator.CsrfMatches(http, session))
                {
                    return Results.Problem(statusCode: 403, title: "CSRF check failed", detail: $"Sign-out needs the session's CSRF token in {OperatorAuthenticator.CsrfHeader}.");
                }

                sessions.Revoke(session);
                loggers.CreateLogger(typeof(OperatorSignIn)).SignedOut(session.Name);
                await RecordAsync(audit, http, session.Name, "/console/api/sign-out", StatusCodes.Status204NoContent);
            }

            http.Response.Cookies.Delete(OperatorSessions.CookieName, CookieOptions(http, null));
            return Results.NoContent();
        });

        return api;
    }

    private const string UnknownOperator = "(unknown operator)";

    // Committed before the answer, like every other operator action: a sign-in the trail does not hold did not happen.
    private static Task RecordAsync(IAuditLog audit, HttpContext http, string actor, string path, int status) =>
        audit.AppendAsync(
            [AuditEvents.OperatorAction(actor, "POST", path, status, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, resourceType: "session")],
            http.RequestAborted);

    private static object Describe(OperatorSession session) => new { name = session.Name, role = session.Role, csrf = session.Csrf, expires = session.Expires };

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
