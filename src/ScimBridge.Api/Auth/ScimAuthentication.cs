using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Api.Http;
using ScimBridge.Core;
using ScimBridge.Core.Connections;

namespace ScimBridge.Api.Auth;

/// <summary>
/// SCIM clients authenticate with a per-connection bearer secret or a JWT. One policy scheme picks the handler by
/// the token's shape; both put the resolved connection on the request. Every failure answers the same SCIM 401
/// body ("Authentication failed."), so a caller never learns which part was wrong.
/// </summary>
public static class ScimAuthentication
{
    public const string Scheme = "Scim";
    public const string SecretScheme = "ScimSecret";
    public const string JwtScheme = "ScimJwt";
    public const string Policy = "ScimConnection";
    public const string ConnectionClaim = "scimbridge:connection";

    private static readonly object ConnectionKey = new();

    public static IdpConnection? GetConnection(this HttpContext context) =>
        context.Items.TryGetValue(ConnectionKey, out var value) ? value as IdpConnection : null;

    internal static ClaimsPrincipal Principal(HttpContext context, IdpConnection connection, string scheme)
    {
        context.Items[ConnectionKey] = connection;
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ConnectionClaim, connection.Id.ToString())], scheme));
    }

    public static IServiceCollection AddScimAuthentication(this IServiceCollection services, AuthOptions options)
    {
        services.AddSingleton<ConnectionCache>();
        services.AddSingleton<FailedAuthThrottle>();
        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = context =>
                options.Jwt.Enabled && LooksLikeJwt(BearerToken(context.Request)) ? JwtScheme : SecretScheme)
            .AddScheme<AuthenticationSchemeOptions, ConnectionSecretHandler>(SecretScheme, null);

        if (options.Jwt.Enabled)
        {
            builder.AddJwtBearer(JwtScheme, jwt =>
            {
                jwt.Authority = options.Jwt.Authority;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Jwt.Issuer,
                    ValidateIssuer = options.Jwt.Issuer is not null,
                    ValidAudience = options.Jwt.Audience,
                    ValidateAudience = options.Jwt.Audience is not null,
                    IssuerSigningKeys = [.. options.Jwt.SigningKeys.Select(k => new SymmetricSecurityKey(Convert.FromBase64String(k)))],
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        var store = context.HttpContext.RequestServices.GetRequiredService<IConnectionStore>();
                        var client = Client(context.Principal!);
                        var connection = client is null ? null : await store.FindByJwtSubjectAsync(client, context.HttpContext.RequestAborted);
                        if (connection is null)
                        {
                            context.Fail("No connection for this token.");
                            return;
                        }

                        context.Principal = Principal(context.HttpContext, connection, JwtScheme);
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        await ChallengeAsync(context.HttpContext);
                    },
                    OnForbidden = context => ScimErrors.WriteAsync(context.HttpContext, 403, null, "Forbidden."),
                };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireClaim(ConnectionClaim));
        return services;
    }

    internal static async Task ChallengeAsync(HttpContext context)
    {
        context.RequestServices.GetRequiredService<FailedAuthThrottle>().RecordFailure(context.Connection.RemoteIpAddress);
        ScimBridgeTelemetry.AuthFailures.Add(1);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ScimErrors.WriteAsync(context, 401, null, "Authentication failed.");
    }

    /// <summary>
    /// The token of an Authorization header. Besides "Bearer &lt;token&gt;" it tolerates the two ways an admin can
    /// fill Okta's "HTTP Header" field by hand: the bare secret (recognised by its scb_ prefix) and "Bearer" typed
    /// into a field that already adds it ("Bearer Bearer &lt;token&gt;").
    /// </summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return header.StartsWith(ConnectionSecret.Prefix, StringComparison.Ordinal) ? header : null;
        }

        var token = header[bearer.Length..].Trim();
        return token.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? token[bearer.Length..].Trim() : token;
    }

    private static bool LooksLikeJwt(string? token) => token is not null && token.Count(c => c == '.') == 2;

    // Entra app-only tokens carry appid (v1) or azp (v2); others use client_id; fall back to sub.
    private static string? Client(ClaimsPrincipal principal) =>
        principal.FindFirst("azp")?.Value ?? principal.FindFirst("appid")?.Value
        ?? principal.FindFirst("client_id")?.Value ?? principal.FindFirst("sub")?.Value;
}

/// <summary>The per-connection bearer secret (Entra "Secret Token", Okta "HTTP Header").</summary>
public sealed class ConnectionSecretHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ConnectionCache connections)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Our secrets are 47 characters; anything far longer is not one of ours.</summary>
    private const int MaxTokenLength = 512;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var token = ScimAuthentication.BearerToken(Request);
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return AuthenticateResult.Fail("Authentication failed.");
        }

        var connection = await connections.FindBySecretAsync(token, Context.RequestAborted);
        return connection is null
            ? AuthenticateResult.Fail("Authentication failed.")
            : AuthenticateResult.Success(new AuthenticationTicket(ScimAuthentication.Principal(Context, connection, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => ScimAuthentication.ChallengeAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => ScimErrors.WriteAsync(Context, 403, null, "Forbidden.");
}
