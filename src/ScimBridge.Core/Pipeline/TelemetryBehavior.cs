using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Core.Pipeline;

/// <summary>
/// A span and a duration histogram per use case. Mediator 3.0.2 has no built-in telemetry (it arrived after v3.0),
/// so this behaviour provides it. The message itself is never logged: it can carry emails and secrets.
/// </summary>
public sealed partial class TelemetryBehavior<TMessage, TResponse>(ILogger<TelemetryBehavior<TMessage, TResponse>> logger, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string UseCase = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = ScimBridgeTelemetry.ActivitySource.StartActivity(UseCase);
        var started = clock.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await next(message, cancellationToken);
        }
        catch (ScimException e)
        {
            outcome = e.Status >= 500 ? "error" : "rejected";
            activity?.SetStatus(e.Status >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Unset, e.ScimType);
            throw;
        }
        catch (Exception e) when (e is FluentValidation.ValidationException or ConflictException or NotFoundException)
        {
            outcome = "rejected";
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome = "error";
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            LogUseCaseFailed(logger, e, UseCase);
            throw;
        }
        finally
        {
            ScimBridgeTelemetry.UseCaseDuration.Record(
                clock.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("use_case", UseCase),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Use case {UseCase} failed unexpectedly")]
    private static partial void LogUseCaseFailed(ILogger logger, Exception exception, string useCase);
}
