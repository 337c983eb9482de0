using System.ComponentModel.DataAnnotations;
using ScimBridge.Platforms.Http;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Platforms.Cursor;

/// <summary>
/// A Cursor team (section <c>Platforms:Targets:&lt;name&gt;</c>, Platform "cursor"). ApiKey is a team Admin API key
/// (<c>key_…</c>). The Admin API cannot add members, so account creation needs the team's SCIM endpoint: set
/// <see cref="Scim"/> (the endpoint and token Cursor's SCIM setup wizard shows) and the target can also invite.
/// </summary>
public sealed class CursorOptions : PlatformTargetOptions
{
    public CursorOptions()
    {
        BaseUrl = new Uri("https://api.cursor.com");

        // "Per team, per minute: 20" for members, audit logs and daily usage (docs.cursor.com Admin API, rate limits);
        // staying under it avoids the 60-second Retry-After a 429 brings.
        RequestsPerMinute = 20;
    }

    /// <summary>How the team shows as ScimBridge's one container of this target.</summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string TeamName { get; set; } = "Cursor team";

    public CursorScimOptions? Scim { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        // DataAnnotations does not descend into nested objects, so the Scim sub-section is checked here.
        if (Scim is null)
        {
            yield break;
        }

        if (Scim.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Scim:BaseUrl must be the absolute http(s) URL of the team's SCIM endpoint when a Scim section is given.", ["Scim"]);
        }

        if (string.IsNullOrWhiteSpace(Scim.Token))
        {
            yield return new ValidationResult("Scim:Token (the team's SCIM bearer token) is required when a Scim section is given.", ["Scim"]);
        }
    }

    /// <summary>The SCIM client options of the embedded SCIM target: this target's timeouts and retries, SCIM's own URL and token.</summary>
    internal ScimTargetOptions ScimTarget() => new()
    {
        Platform = "scim",
        BaseUrl = Scim?.BaseUrl,
        ApiKey = Scim?.Token,
        PageSize = PageSize,
        Dialect = Scim?.Dialect ?? ScimDialect.Rfc7644,
        AttemptTimeoutSeconds = AttemptTimeoutSeconds,
        TotalTimeoutSeconds = TotalTimeoutSeconds,
        MaxRetryAttempts = MaxRetryAttempts,
        RetryBaseDelayMilliseconds = RetryBaseDelayMilliseconds,
        MaxInlineRetryAfterSeconds = MaxInlineRetryAfterSeconds,
        CircuitBreakerFailureRatio = CircuitBreakerFailureRatio,
        CircuitBreakerMinimumThroughput = CircuitBreakerMinimumThroughput,
        CircuitBreakerSamplingSeconds = CircuitBreakerSamplingSeconds,
        CircuitBreakerBreakSeconds = CircuitBreakerBreakSeconds,
    };
}

/// <summary>Cursor's SCIM 2.0 endpoint (Enterprise, after SSO): cursor.com/docs/account/teams/scim.</summary>
public sealed class CursorScimOptions
{
    public Uri? BaseUrl { get; set; }

    /// <summary>The SCIM bearer token; from configuration only (e.g. SCIMBRIDGE_Platforms__Targets__cursor__Scim__Token).</summary>
    public string? Token { get; set; }

    public ScimDialect Dialect { get; set; } = ScimDialect.Rfc7644;
}
