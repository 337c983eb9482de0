using Microsoft.Extensions.Logging;

namespace ScimBridge.Platforms.Anthropic;

internal static partial class AnthropicLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Information,
        Message = "Anthropic {Target}: invite {InviteId} sent; {GrantCount} workspace grant(s) wait until the invite is accepted")]
    public static partial void InviteSentGrantsDeferred(ILogger logger, string target, string inviteId, int grantCount);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "Anthropic {Target}: invite skipped, {Outcome} as {Id}")]
    public static partial void InviteSkipped(ILogger logger, string target, string outcome, string id);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Anthropic {Target}: skipped an invite with unknown status {Status}")]
    public static partial void UnknownInviteStatus(ILogger logger, string target, string? status);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Anthropic {Target}: skipped a Claude Code usage row with unknown actor type {ActorType}")]
    public static partial void UnknownUsageActor(ILogger logger, string target, string? actorType);
}
