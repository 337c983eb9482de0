namespace ScimBridge.Api.Operators;

/// <summary>Operator sign-in events. Names only: never a password, a token or a cookie.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Operator {Operator} signed in to the console ({Role})")]
    public static partial void SignedIn(this ILogger logger, string @operator, string role);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Console sign-in refused for {Operator} from {Address}")]
    public static partial void SignInRefused(this ILogger logger, string @operator, string? address);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Operator {Operator} signed out")]
    public static partial void SignedOut(this ILogger logger, string @operator);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Operator credential refused on {Method} {Path} from {Address}: {Reason}")]
    public static partial void CredentialRefused(this ILogger logger, string method, string path, string? address, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information,
        Message = "Admin:Session:Key is not set: console sessions are signed with a per-process key (they end on restart and do not cross replicas)")]
    public static partial void EphemeralSessionKey(this ILogger logger);
}
