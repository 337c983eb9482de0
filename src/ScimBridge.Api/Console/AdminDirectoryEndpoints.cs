using Mediator;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Api.WebConsole;

/// <summary>
/// GET /admin/connections (IdP connections: name, kind, id, created; never a secret or its hash) and GET /admin/targets
/// (platform targets: name, platform, what the adapter can do, base URL, owner; never the admin key), and GET
/// /admin/operator (who the caller is to ScimBridge: name, role, how they signed in), for scripts checking a token.
/// </summary>
public static class AdminDirectoryEndpoints
{
    public static RouteGroupBuilder MapAdminDirectory(this RouteGroupBuilder admin)
    {
        admin.MapGet("/connections", async (IMediator mediator, CancellationToken ct) =>
            Results.Json((await mediator.Send(new ListConnections(), ct)).Select(c => new
            {
                name = c.Name,
                kind = c.Kind.ToString().ToLowerInvariant(),
                id = c.Id,
                created = c.Created,
                jwt = c.JwtSubject is not null,
            })));

        admin.MapGet("/targets", (IPlatformRegistry platforms, IConfiguration configuration) =>
            Results.Json(platforms.Adapters.OrderBy(a => a.Target.Name, StringComparer.Ordinal).Select(a =>
            {
                var section = configuration.GetSection(ScimBridge.Platforms.PlatformsRegistration.TargetsSection).GetSection(a.Target.Name);
                return new
                {
                    name = a.Target.Name,
                    platform = a.Target.Platform,
                    capabilities = Capabilities(a.Capabilities()),
                    baseUrl = section["BaseUrl"],
                    owner = section["Owner"],
                    description = section["Description"],
                };
            })));

        admin.MapGet("/operator", (HttpContext http) => Results.Json(new
        {
            name = http.User.Identity?.Name,
            role = http.User.IsInRole(Operators.OperatorRoles.Admin) ? Operators.OperatorRoles.Admin : Operators.OperatorRoles.Reader,
            method = http.User.FindFirst(Operators.OperatorPrincipal.MethodClaim)?.Value,
        }));

        return admin;
    }

    private static string[] Capabilities(PlatformCapabilities capabilities) =>
        [.. Enum.GetValues<PlatformCapabilities>()
            .Where(c => c != PlatformCapabilities.None && capabilities.HasFlag(c))
            .Select(c => char.ToLowerInvariant(c.ToString()[0]) + c.ToString()[1..])];
}
