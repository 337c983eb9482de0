using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Platforms.Http;

/// <summary>
/// What every platform target is configured with (section <c>Platforms:Targets:&lt;name&gt;</c>). Each platform's own
/// options derive from it. The admin key comes from configuration, in production from an environment variable such as
/// <c>SCIMBRIDGE_Platforms__Targets__openai__ApiKey</c> or a mounted secret; ScimBridge never stores it.
/// </summary>
public abstract class PlatformTargetOptions : IValidatableObject
{
    /// <summary>The platform kind: openai, anthropic, cursor, scim.</summary>
    [Required]
    public string Platform { get; set; } = "";

    /// <summary>The API's base URL. Each platform defaults to its public API; point it at a simulator to test.</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    [Required]
    public string? ApiKey { get; set; }

    /// <summary>The target's business owner (a person or team), shown in the AI connector register.</summary>
    public string? Owner { get; set; }

    /// <summary>What the target is for, shown in the AI connector register.</summary>
    public string? Description { get; set; }

    /// <summary>Items asked for per page; each platform clamps it to what its API allows.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    [Range(1, 600)]
    public int AttemptTimeoutSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int TotalTimeoutSeconds { get; set; } = 120;

    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    [Range(1, 60_000)]
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>
    /// A 429 whose Retry-After is longer than this is not waited out inside the call: it surfaces as a transient error
    /// carrying the delay, so the caller (reconciliation's queue) can schedule it instead of holding a worker.
    /// </summary>
    [Range(0, 3600)]
    public int MaxInlineRetryAfterSeconds { get; set; } = 30;

    /// <summary>Consecutive-failure share (0–1) over <see cref="CircuitBreakerSamplingSeconds"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    [Range(1, 3600)]
    public int CircuitBreakerSamplingSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int CircuitBreakerBreakSeconds { get; set; } = 15;

    /// <summary>
    /// The target's concurrency budget: at most this many requests to it are in flight at once (others wait their turn),
    /// and reconciliation applies this many identities' changes side by side.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The target's rate budget, in requests per minute across all of ScimBridge's calls to it in this process
    /// (retries included); requests over budget wait for a token rather than earn a 429. 0: no budget, the platform's
    /// 429s and Retry-After pace us. Cursor documents 20 a minute for most of its Admin API and defaults to it.
    /// </summary>
    [Range(0, 600_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>
    /// How many requests may go at once before the rate budget paces them; 0 (the default) allows a full minute's worth,
    /// like the per-minute windows the platforms count in.
    /// </summary>
    [Range(0, 600_000)]
    public int RequestBurst { get; set; }

    /// <summary>This target as adapters name it, carrying its concurrency budget.</summary>
    public Core.Platforms.PlatformTarget TargetNamed(string name, string platform) => new(name, platform) { MaxConcurrency = MaxConcurrency };

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The configuration binder turns "api.openai.com/v1" into a relative Uri without complaint, which [Required]
        // accepts; the HttpClient would only fail at the first call, far from the configuration mistake.
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult($"The BaseUrl field must be an absolute http(s) URL; got '{url.OriginalString}'.", [nameof(BaseUrl)]);
        }
    }
}
