using Microsoft.Extensions.Options;
using ScimBridge.Core.Connections;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Api.IdentityProviders;

/// <summary>
/// Section <c>IdentityProviders</c>: optional read access to each connection's IdP, keyed by the SCIM connection's name
/// (<c>IdentityProviders:Connections:entra-prod:…</c>). Secrets (ClientSecret, ApiToken) come from the environment or a
/// mounted secret, are never logged, and are never stored.
/// </summary>
public sealed class IdpChecksOptions
{
    public const string Section = "IdentityProviders";

    public Dictionary<string, IdpCheckOptions> Connections { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One connection's IdP read access, what the check may do, and how often it runs.</summary>
public sealed class IdpCheckOptions
{
    /// <summary>entra or okta.</summary>
    public IdpKind Kind { get; set; } = IdpKind.Generic;

    /// <summary>How often the check runs (one replica at a time); unset: only on demand.</summary>
    public TimeSpan? Schedule { get; set; }

    /// <summary>none (report the disagreements), report (and the repair plan), apply (and repair, treating the IdP as truth).</summary>
    public RepairMode Repair { get; set; } = RepairMode.Report;

    // Entra: an app registration with Application.Read.All, User.Read.All and GroupMember.Read.All (docs/idp-checks.md).
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The object id of the enterprise application (service principal) that provisions this connection.</summary>
    public string? ServicePrincipalId { get; set; }

    public Uri GraphBaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    // Okta: an API token of an admin that can read the app, its users and groups (docs/idp-checks.md).
    public Uri? OrgUrl { get; set; }

    public string? ApiToken { get; set; }

    /// <summary>Okta: the app instance id (0oa…) that provisions this connection. Entra: the application (client) id of the
    /// enterprise app, an alternative to ServicePrincipalId.</summary>
    public string? AppId { get; set; }

    /// <summary>A single rate-limit wait longer than this ends the read as failed (Okta).</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Trust exactly this TLS certificate (hex SHA-256) besides the system's: test fakes and inspecting proxies only.</summary>
    public string? PinnedCertificateSha256 { get; set; }
}

/// <summary>Start-up checks that name the setting to fix (never its value).</summary>
public sealed class IdpChecksOptionsValidator : IValidateOptions<IdpChecksOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpChecksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (connection, check) in options.Connections)
        {
            var where = $"{IdpChecksOptions.Section}:Connections:{connection}";
            void Require(string? value, string key)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{where}:{key} is required for a {check.Kind.ToString().ToLowerInvariant()} connection.");
                }
            }

            switch (check.Kind)
            {
                case IdpKind.Entra:
                    Require(check.TenantId, nameof(check.TenantId));
                    Require(check.ClientId, nameof(check.ClientId));
                    Require(check.ClientSecret, nameof(check.ClientSecret));
                    if (string.IsNullOrWhiteSpace(check.ServicePrincipalId) && string.IsNullOrWhiteSpace(check.AppId))
                    {
                        failures.Add($"{where}: ServicePrincipalId (the enterprise app's object id) or AppId (its application id) is required for an entra connection.");
                    }

                    if (!check.GraphBaseUrl.IsAbsoluteUri || !check.AuthorityHost.IsAbsoluteUri || check.AuthorityHost.Scheme != Uri.UriSchemeHttps)
                    {
                        failures.Add($"{where}: GraphBaseUrl must be absolute and AuthorityHost an absolute https URL (Azure.Identity accepts no other).");
                    }

                    break;
                case IdpKind.Okta:
                    Require(check.ApiToken, nameof(check.ApiToken));
                    Require(check.AppId, nameof(check.AppId));
                    if (check.OrgUrl is not { IsAbsoluteUri: true })
                    {
                        failures.Add($"{where}:OrgUrl is required, e.g. https://example.okta.com/.");
                    }

                    break;
                default:
                    failures.Add($"{where}:Kind must be entra or okta.");
                    break;
            }

            if (!Enum.IsDefined(check.Repair))
            {
                failures.Add($"{where}:Repair must be none, report or apply.");
            }

            if (check.Schedule is { } schedule && (schedule < TimeSpan.FromSeconds(1) || schedule > TimeSpan.FromDays(7)))
            {
                failures.Add($"{where}:Schedule must be between 00:00:01 and 7.00:00:00.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
