using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ScimBridge.Core;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Http;

/// <summary>One call to a platform: method, path relative to the base URL, and the operation name for traces and metrics.</summary>
public sealed record PlatformRequest(HttpMethod Method, string Path, string Operation)
{
    public HttpContent? Content { get; init; }

    /// <summary>False for creates, which the resilience pipeline retries only on 429 (see <see cref="PlatformResilience"/>).</summary>
    public bool Idempotent { get; init; } = true;
}

/// <summary>A platform's error envelope reduced to what we keep: its code or type, and a message (redacted before use).</summary>
public readonly record struct PlatformErrorBody(string? Code, string? Message);

/// <summary>
/// The base of every typed platform client: sends through the resilience pipeline the HttpClient was built with, maps
/// every failure to <see cref="PlatformTransientException"/> or <see cref="PlatformPermanentException"/>, and traces
/// and counts each call (<c>adapter.calls{platform,target,op,outcome}</c>). Derived clients only build requests and
/// parse their platform's error envelope.
/// </summary>
public abstract partial class PlatformHttpClient
{
    private const int MaxErrorBodyBytes = 16 * 1024;

    private readonly string? _secret;

    protected PlatformHttpClient(HttpClient http, PlatformTarget target, PlatformTargetOptions options, ILogger logger, TimeProvider time)
    {
        Http = http;
        Target = target;
        Logger = logger;
        Time = time;
        _secret = options.ApiKey;
    }

    protected HttpClient Http { get; }

    protected PlatformTarget Target { get; }

    protected ILogger Logger { get; }

    protected TimeProvider Time { get; }

    /// <summary>Reads the platform's error envelope; called only for non-success answers.</summary>
    protected abstract PlatformErrorBody ParseError(ReadOnlySpan<byte> body);

    /// <summary>Maps a platform-specific answer the status alone gets wrong (e.g. a 400 that means "not found"); null keeps the default.</summary>
    protected virtual PlatformErrorKind? ClassifyError(HttpStatusCode status, PlatformErrorBody body) => null;

    protected async Task<T> SendAsync<T>(PlatformRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, allowNotFound: false, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response!, type, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="SendAsync{T}"/>, but a 404 answers null instead of throwing.</summary>
    protected async Task<T?> SendOrNotFoundAsync<T>(PlatformRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendCoreAsync(request, allowNotFound: true, cancellationToken).ConfigureAwait(false);
        return response is null ? null : await ReadAsync(response, type, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends and ignores the body; answers false when the platform said 404.</summary>
    protected async Task<bool> SendExpectingNoBodyAsync(PlatformRequest request, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, allowNotFound, cancellationToken).ConfigureAwait(false);
        return response is not null;
    }

    private async Task<HttpResponseMessage?> SendCoreAsync(PlatformRequest request, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var activity = ScimBridgeTelemetry.ActivitySource.StartActivity($"{Target.Platform} {request.Operation}", ActivityKind.Client);
        activity?.SetTag("scimbridge.platform", Target.Platform);
        activity?.SetTag("scimbridge.target", Target.Name);
        activity?.SetTag("scimbridge.operation", request.Operation);
        var started = Time.GetTimestamp();
        var outcome = "error";
        try
        {
            using var message = new HttpRequestMessage(request.Method, request.Path) { Content = request.Content };
            if (!request.Idempotent)
            {
                message.Options.Set(PlatformResilience.NonIdempotent, true);
            }

            HttpResponseMessage response;
            try
            {
                response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Transport(ex, cancellationToken) is { } mapped)
            {
                outcome = mapped.Kind.ToString();
                LogCallFailed(Logger, Target.Name, request.Operation, 0, mapped.Kind, null);
                throw Stamp(mapped, request);
            }

            if (response.IsSuccessStatusCode)
            {
                outcome = "ok";
                return response;
            }

            using (response)
            {
                if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
                {
                    outcome = "not_found";
                    return null;
                }

                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                var failure = Classify(response, error);
                outcome = failure.Kind.ToString();
                LogCallFailed(Logger, Target.Name, request.Operation, (int)response.StatusCode, failure.Kind, error.Code);
                activity?.SetStatus(ActivityStatusCode.Error, failure.Kind.ToString());
                throw Stamp(failure, request);
            }
        }
        finally
        {
            var elapsed = Time.GetElapsedTime(started).TotalMilliseconds;
            var tags = new TagList
            {
                { "platform", Target.Platform },
                { "target", Target.Name },
                { "op", request.Operation },
                { "outcome", outcome },
            };
            ScimBridgeTelemetry.AdapterCalls.Add(1, tags);
            ScimBridgeTelemetry.AdapterCallDuration.Record(elapsed, tags);
            activity?.SetTag("scimbridge.outcome", outcome);
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, PlatformRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The platform answered null.");
        }
        catch (JsonException ex)
        {
            throw Stamp(new PlatformPermanentException(PlatformErrorKind.Protocol, $"{Target.Platform} {request.Operation}: unreadable response ({ex.Message})."), request);
        }
        catch (Exception ex) when (Transport(ex, cancellationToken) is { } mapped)
        {
            // The connection dropped while the body streamed in.
            throw Stamp(mapped, request);
        }
    }

    private async Task<PlatformErrorBody> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                return default;
            }

            var body = bytes.AsSpan(0, Math.Min(bytes.Length, MaxErrorBodyBytes));
            try
            {
                return ParseError(body);
            }
            catch (JsonException)
            {
                return new PlatformErrorBody(null, Encoding.UTF8.GetString(body));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return default;
        }
    }

    private PlatformException Classify(HttpResponseMessage response, PlatformErrorBody error)
    {
        var status = response.StatusCode;
        var message = $"{Target.Platform} answered {(int)status}" + (error.Message is { Length: > 0 } m ? $": {SecretRedactor.Redact(m, _secret)}" : ".");
        var kind = ClassifyError(status, error) ?? status switch
        {
            HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
            HttpStatusCode.Unauthorized => PlatformErrorKind.Authentication,
            HttpStatusCode.Forbidden => PlatformErrorKind.NotAllowed,
            HttpStatusCode.NotFound => PlatformErrorKind.NotFound,
            HttpStatusCode.Conflict => PlatformErrorKind.Conflict,
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => PlatformErrorKind.Timeout,
            >= HttpStatusCode.InternalServerError => PlatformErrorKind.Unavailable,
            _ => PlatformErrorKind.Validation,
        };

        PlatformException failure = kind is PlatformErrorKind.RateLimited or PlatformErrorKind.Unavailable or PlatformErrorKind.Timeout
            ? new PlatformTransientException(kind, message, PlatformResilience.RetryAfter(response, Time))
            : new PlatformPermanentException(kind, message);
        return Stamp(failure, status, error.Code);
    }

    private static PlatformException Stamp(PlatformException failure, HttpStatusCode status, string? code) => failure switch
    {
        PlatformTransientException t => new PlatformTransientException(t.Kind, t.Message, t.RetryAfter) { StatusCode = (int)status, PlatformCode = code },
        _ => new PlatformPermanentException(failure.Kind, failure.Message) { StatusCode = (int)status, PlatformCode = code },
    };

    private PlatformException Stamp(PlatformException failure, PlatformRequest request) => failure switch
    {
        PlatformTransientException t => new PlatformTransientException(t.Kind, t.Message, t.RetryAfter, t.InnerException)
        {
            StatusCode = t.StatusCode, PlatformCode = t.PlatformCode, Target = Target.Name, Operation = request.Operation,
        },
        _ => new PlatformPermanentException(failure.Kind, failure.Message, failure.InnerException)
        {
            StatusCode = failure.StatusCode, PlatformCode = failure.PlatformCode, Target = Target.Name, Operation = request.Operation,
        },
    };

    private PlatformTransientException? Transport(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        _ when cancellationToken.IsCancellationRequested => null,
        TimeoutRejectedException => new PlatformTransientException(PlatformErrorKind.Timeout, $"{Target.Platform} did not answer in time.", null, ex),
        BrokenCircuitException => new PlatformTransientException(PlatformErrorKind.Unavailable, $"{Target.Platform} is failing; its circuit is open.", null, ex),
        HttpRequestException or IOException => new PlatformTransientException(PlatformErrorKind.Unavailable, $"{Target.Platform} connection failed: {SecretRedactor.Redact(ex.Message, _secret)}", null, ex),
        OperationCanceledException => new PlatformTransientException(PlatformErrorKind.Timeout, $"{Target.Platform} did not answer in time.", null, ex),
        _ => null,
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Platform call {Target} {Operation} failed: status {Status}, {Kind}, platform code {PlatformCode}")]
    private static partial void LogCallFailed(ILogger logger, string target, string operation, int status, PlatformErrorKind kind, string? platformCode);
}
