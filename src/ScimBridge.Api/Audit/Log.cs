namespace ScimBridge.Api.Audit;

internal static partial class Log
{
    [LoggerMessage(EventId = 6011, Level = LogLevel.Error, Message = "The audit event of {Method} {Path} ({Status}) could not be written")]
    public static partial void AuditWriteFailed(this ILogger logger, Exception exception, string method, string path, int status);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Audit retention pruned {Deleted} events older than {RetentionDays} days (base is now event {BaseSequence})")]
    public static partial void AuditPruned(this ILogger logger, int deleted, int retentionDays, long baseSequence);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Error, Message = "Audit retention failed")]
    public static partial void AuditPruneFailed(this ILogger logger, Exception exception);
}
