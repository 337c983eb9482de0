using Microsoft.Extensions.Options;
using ScimBridge.Core.Connections;
using ScimBridge.Core.IdentityProviders;
using ScimBridge.Platforms.IdentityProviders.Entra;
using ScimBridge.Platforms.IdentityProviders.Okta;

namespace ScimBridge.Api.IdentityProviders;

/// <summary>The configured checks with their directories, built once from validated options.</summary>
public sealed class IdpCheckRegistry : IIdpCheckRegistry
{
    public const string OktaHttpClient = "scimbridge-idp-okta";

    private readonly Dictionary<string, IdpCheckConnection> _connections;

    public IdpCheckRegistry(IOptions<IdpChecksOptions> options, IHttpClientFactory http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _connections = options.Value.Connections.ToDictionary(
            c => c.Key,
            c => new IdpCheckConnection(c.Key, c.Value.Kind, c.Value.Repair, c.Value.Schedule, Directory(c.Key, c.Value, http, time)),
            StringComparer.OrdinalIgnoreCase);
        Connections = [.. _connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public IReadOnlyList<IdpCheckConnection> Connections { get; }

    public IdpCheckConnection? Find(string name) => _connections.GetValueOrDefault(name);

    private static IIdpDirectory Directory(string name, IdpCheckOptions o, IHttpClientFactory http, TimeProvider time) => o.Kind switch
    {
        IdpKind.Entra => new EntraDirectory(new EntraDirectorySettings(
            name, o.TenantId!, o.ClientId!, o.ClientSecret!, o.ServicePrincipalId, o.GraphBaseUrl, o.AuthorityHost, o.PinnedCertificateSha256, o.AppId)),
        IdpKind.Okta => new OktaDirectory(
            new OktaDirectorySettings(name, o.OrgUrl!, o.ApiToken!, o.AppId!, MaxRateLimitWait: o.MaxRateLimitWait),
            http.CreateClient(OktaHttpClient),
            time),
        _ => throw new InvalidOperationException($"IdentityProviders:Connections:{name}:Kind must be entra or okta."),
    };
}
