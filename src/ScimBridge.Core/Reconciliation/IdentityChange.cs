namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// The outbox payload a SCIM write queues, in the same transaction, as a work item of kind
/// <see cref="WorkKind"/> keyed <c>{connectionId}:{userId}</c>: one identity whose desired state may have changed.
/// Emails are carried because after a DELETE the store no longer has them, and a leaver is found by email.
/// </summary>
public sealed record IdentityChange(Guid ConnectionId, string UserId, IReadOnlyList<string> Emails, bool Deleted)
{
    public const string WorkKind = "reconcile.identity";

    public static string KeyOf(Guid connectionId, string userId) => $"{connectionId:D}:{userId}";
}
