namespace ScimBridge.Core.Platforms;

public enum PlatformErrorKind
{
    /// <summary>Rate limited (429); <see cref="PlatformTransientException.RetryAfter"/> says when to come back.</summary>
    RateLimited,

    /// <summary>5xx or an overloaded platform (Anthropic 529).</summary>
    Unavailable,

    /// <summary>No response in time, or the connection dropped.</summary>
    Timeout,

    /// <summary>The admin credential was rejected (401).</summary>
    Authentication,

    /// <summary>The credential lacks the permission or plan (403, or a platform rule such as "keep one admin").</summary>
    NotAllowed,

    /// <summary>The platform rejected the request's content (400, 422).</summary>
    Validation,

    NotFound,

    Conflict,

    /// <summary>The platform answered something this adapter cannot read.</summary>
    Protocol,
}

/// <summary>A platform call failed. Transient failures are worth retrying later; permanent ones are not.</summary>
public abstract class PlatformException(PlatformErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public PlatformErrorKind Kind { get; } = kind;

    /// <summary>The HTTP status the platform answered, when there was an answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The platform's own error code or type (e.g. <c>rate_limit_error</c>), never a secret.</summary>
    public string? PlatformCode { get; init; }

    public string? Target { get; init; }

    public string? Operation { get; init; }

    public abstract bool IsTransient { get; }
}

public sealed class PlatformTransientException(PlatformErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : PlatformException(kind, message, inner)
{
    /// <summary>The platform's Retry-After, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsTransient => true;
}

public sealed class PlatformPermanentException(PlatformErrorKind kind, string message, Exception? inner = null)
    : PlatformException(kind, message, inner)
{
    public override bool IsTransient => false;
}
