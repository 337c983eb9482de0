using Microsoft.Extensions.Options;
using ScimBridge.Api.Auth;
using ScimBridge.Core.Resources;
using ScimBridge.Scim.Dialects;

namespace ScimBridge.Api.Endpoints;

/// <summary>Builds the caller of a SCIM request: its connection, the connection's dialect and the base URL.</summary>
public sealed class ScimCallerFactory(IOptions<HostOptions> options)
{
    public ScimCaller Create(HttpContext context)
    {
        var connection = context.GetConnection()
            ?? throw new InvalidOperationException("SCIM endpoint reached without an authenticated connection.");
        return new ScimCaller(connection, IdpDialect.ForKind(connection.Kind.ToString()), ScimBaseUrl(context));
    }

    /// <summary>The absolute /scim/v2 URL clients use: Host:PublicBaseUrl, else the (forwarded) request's own.</summary>
    public string ScimBaseUrl(HttpContext context) =>
        (options.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}") + "/scim/v2";
}
