using System.Diagnostics.CodeAnalysis;

namespace ScimBridge.Api.Operators;

/// <summary>The two operator roles: a reader may GET under /admin; an admin may also change things (POST, PUT, DELETE).</summary>
public static class OperatorRoles
{
    public const string Reader = "reader";
    public const string Admin = "admin";

    public static bool IsKnown([NotNullWhen(true)] string? role) => role is Reader or Admin;
}

/// <summary>
/// One console operator (<c>Admin:Operators:N</c>). The password is stored only as a hash made by
/// <c>scimbridge operators hash-password</c>; these credentials are separate from the IdP connections' secrets.
/// </summary>
public sealed class OperatorAccount
{
    public string Name { get; set; } = "";

    /// <summary><see cref="OperatorRoles.Reader"/> or <see cref="OperatorRoles.Admin"/>.</summary>
    public string Role { get; set; } = OperatorRoles.Reader;

    public string PasswordHash { get; set; } = "";
}

/// <summary>
/// JWT bearer tokens for automation (<c>Admin:Jwt</c>): validated against an OIDC authority's keys or a shared
/// signing key; the operator's role comes from <see cref="RoleClaim"/> (Entra app roles arrive in "roles").
/// </summary>
public sealed class OperatorJwtOptions
{
    public const string DefaultAdminRole = "ScimBridge.Admin";
    public const string DefaultReaderRole = "ScimBridge.Reader";

    /// <summary>OIDC authority (https) whose metadata and signing keys validate tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 HMAC key (at least 32 bytes) for issuers that sign with a shared secret.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Required with <see cref="SigningKey"/>; with <see cref="Authority"/> the metadata's issuer is used when unset.</summary>
    public string? Issuer { get; set; }

    /// <summary>Required: without it any token from the issuer, meant for any application, would do.</summary>
    public string? Audience { get; set; }

    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim values that make the caller an admin (default <see cref="DefaultAdminRole"/>).</summary>
    public IList<string> AdminRoles { get; } = [];

    /// <summary>Claim values that make the caller a reader (default <see cref="DefaultReaderRole"/>).</summary>
    public IList<string> ReaderRoles { get; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);

    public IEnumerable<string> EffectiveAdminRoles => AdminRoles.Count > 0 ? AdminRoles : [DefaultAdminRole];

    public IEnumerable<string> EffectiveReaderRoles => ReaderRoles.Count > 0 ? ReaderRoles : [DefaultReaderRole];
}

/// <summary>Console sessions (<c>Admin:Session</c>): the cookie a sign-in sets.</summary>
public sealed class OperatorSessionOptions
{
    /// <summary>
    /// Base64 HMAC key (at least 32 bytes) that signs session cookies. Unset: a random key per process, so sessions end
    /// on restart and do not carry across replicas; set it (from a secret) when several replicas serve the console.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>A session's fixed lifetime; the operator signs in again after it.</summary>
    public int LifetimeMinutes { get; set; } = 480;
}
