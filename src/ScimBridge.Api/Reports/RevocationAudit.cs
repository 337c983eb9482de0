using ScimBridge.Core.Audit;
using ScimBridge.Core.Reports;

namespace ScimBridge.Api.Reports;

/// <summary>
/// Audits every revoke attempt: a platform.change event in the audit chain (acted by the operator, committed before
/// the answer goes back), and a structured log line. Ids and names only: ScimBridge never knows a key's value.
/// </summary>
internal sealed partial class RevocationAudit(IEnumerable<IAuditLog> audit, ILogger<RevocationAudit> logger) : ICredentialRevocationAudit
{
    public async Task RecordAsync(CredentialRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        var r = revocation.Request;
        if (revocation.Action is { } action)
        {
            LogRevoked(logger, revocation.Actor, r.Target, r.Kind, r.Id, r.Container, action);
        }
        else
        {
            LogRefused(logger, revocation.Actor, r.Target, r.Kind, r.Id, r.Container, revocation.Refusal);
        }

        var change = AuditEvents.PlatformChange(
            r.Target, r.Kind, r.Id, "revoke", before: new { container = r.Container }, after: revocation.Action is null ? null : new { state = revocation.Action },
            result: revocation.Action is null ? "failure" : "success", runId: null, detail: revocation.Refusal) with { Actor = revocation.Actor };
        foreach (var log in audit)
        {
            await log.AppendAsync([change], cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4721, Level = LogLevel.Warning, Message = "{Actor} revoked {Kind} {Id} (container {Container}) on target {Target}: {Action}")]
    private static partial void LogRevoked(ILogger logger, string actor, string target, string kind, string id, string? container, string action);

    [LoggerMessage(EventId = 4722, Level = LogLevel.Warning, Message = "{Actor} tried to revoke {Kind} {Id} (container {Container}) on target {Target}; refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string actor, string target, string kind, string id, string? container, string? reason);
}
