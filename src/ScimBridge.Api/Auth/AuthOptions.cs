using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Api.Auth;

/// <summary>SCIM client authentication, bound from the "Auth" section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Failed authentications from one client address allowed per window before it gets 429.</summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerWindow { get; set; } = 20;

    [Range(1, 86_400)]
    public int FailureWindowSeconds { get; set; } = 60;

    /// <summary>How long a resolved bearer secret is trusted before the store is asked again.</summary>
    [Range(0, 3600)]
    public int SecretCacheSeconds { get; set; } = 30;
}

/// <summary>
/// OAuth 2.0 JWT bearer tokens (e.g. Entra's OAuth client-credentials provisioning). A token is mapped to a
/// connection by its client (azp / appid / client_id) or subject claim, matched to the connection's JwtSubject.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>OIDC authority whose metadata and keys validate tokens (https in production).</summary>
    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Base64 symmetric signing keys (for IdPs that sign with a shared secret, and for tests).</summary>
    public IList<string> SigningKeys { get; } = [];

    public bool Enabled => Authority is not null || SigningKeys.Count > 0;
}
