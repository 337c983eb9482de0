using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ScimBridge.Core;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Api.Http;

/// <summary>
/// The one place exceptions become responses: the SCIM error schema under /scim/v2, ProblemDetails (RFC 9457)
/// everywhere else. Nothing escapes as a bare 500; unexpected errors are logged and answered generically.
/// </summary>
public sealed partial class ScimExceptionHandler(IProblemDetailsService problemDetails, ILogger<ScimExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, scimType, detail) = Classify(exception);
        if (status >= 500)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (ScimErrors.IsScimPath(httpContext))
        {
            await ScimErrors.WriteAsync(httpContext, status, scimType, detail);
            return true;
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail, Title = ScimErrors.DefaultDetail(status).TrimEnd('.') },
        });
    }

    internal static (int Status, string? ScimType, string Detail) Classify(Exception exception) => exception switch
    {
        ScimException scim => (scim.Status, scim.ScimType, scim.Message),
        ValidationException validation => (400, ScimType.InvalidValue, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage))),
        BadHttpRequestException { StatusCode: 413 } => (413, null, ScimErrors.DefaultDetail(413)),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 400 ? ScimType.InvalidSyntax : null, "The request could not be read."),
        JsonException json => (400, ScimType.InvalidSyntax, $"Malformed JSON: {json.Message}"),
        ConflictException conflict => (409, ScimType.Uniqueness, conflict.Message),
        NotFoundException notFound => (404, null, notFound.Message),
        OperationCanceledException => (499, null, "The request was cancelled."),
        _ => (500, null, "Unexpected error. It has been logged."),
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
