using System.Net;
using Microsoft.Extensions.Http.Resilience;
using System.Threading.RateLimiting;
using Polly;
using Polly.Timeout;

namespace ScimBridge.Platforms.Http;

/// <summary>
/// The resilience pipeline every platform client sends through (Microsoft.Extensions.Http.Resilience, i.e. Polly):
/// total timeout → retry → the target's concurrency and rate budgets → circuit breaker → attempt timeout, with two platform rules
/// of our own. First, a request marked non-idempotent (creating an invite, a project, a service account) is retried
/// only on 429, the one answer that guarantees nothing happened; a 5xx or a dropped connection after a create may have
/// created it. Second, a Retry-After longer than <see cref="PlatformTargetOptions.MaxInlineRetryAfterSeconds"/> (Cursor
/// answers 60 s) is not slept through inside the call: the 429 surfaces as a transient error with its delay.
/// </summary>
public static class PlatformResilience
{
    /// <summary>Set on requests that create something, so the pipeline does not retry them after an ambiguous failure.</summary>
    public static readonly HttpRequestOptionsKey<bool> NonIdempotent = new("ScimBridge.NonIdempotent");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, PlatformTargetOptions options, TimeProvider time)
    {
        pipeline.TimeProvider = time;
        pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));

        if (options.MaxRetryAttempts > 0)
        {
            var maxInline = TimeSpan.FromSeconds(options.MaxInlineRetryAfterSeconds);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, maxInline, time)),
            });
        }

        // The target's budgets, inside the retry so every attempt counts and a retry's back-off holds no permit. Callers
        // over budget queue (oldest first) instead of being refused; the total timeout still bounds the wait.
        pipeline.AddConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (options.RequestsPerMinute > 0)
        {
            pipeline.AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.RequestBurst > 0 ? options.RequestBurst : options.RequestsPerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.RequestsPerMinute,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(options.CircuitBreakerSamplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakerBreakSeconds),
            // A 429 is the platform working as designed; only outages should open the circuit.
            ShouldHandle = args => ValueTask.FromResult(IsOutage(args.Outcome)),
        });

        pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
    }

    /// <summary>The response's Retry-After as a delay, from either of its forms (delta-seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxInlineRetryAfter, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
        {
            var delay = RetryAfter(limited, time);
            return delay is null || delay <= maxInlineRetryAfter;
        }

        var request = context.GetRequestMessage();
        var nonIdempotent = request is not null && request.Options.TryGetValue(NonIdempotent, out var flag) && flag;
        return !nonIdempotent && IsOutage(outcome);
    }

    private static bool IsOutage(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
