namespace ScimBridge.Core.Audit;

/// <summary>The kinds of audit event ScimBridge records (the <c>kind</c> filter of /admin/audit).</summary>
public static class AuditKinds
{
    public const string ScimRequest = "scim.request";
    public const string PlatformChange = "platform.change";
    public const string ReconcileRun = "reconcile.run";
    public const string OperatorAction = "operator.action";

    /// <summary>Written by the retention job itself, so a pruned stretch of the chain is never silent.</summary>
    public const string AuditPruned = "audit.pruned";

    /// <summary>A comparison of an IdP's own view with what it pushed over SCIM (docs/idp-checks.md).</summary>
    public const string IdpCheck = "idp.check";

    /// <summary>A change made to the SCIM store because the IdP said so (a connection with Repair: apply).</summary>
    public const string IdpRepair = "idp.repair";

    public static readonly IReadOnlyList<string> All = [ScimRequest, PlatformChange, ReconcileRun, OperatorAction, AuditPruned, IdpCheck, IdpRepair];
}

/// <summary>
/// One audit event before it joins the chain. Every field is covered by the event's hash (see
/// <see cref="AuditChain.CanonicalBytes(AuditEvent)"/>); <see cref="Details"/> is a JSON object as text, kept as written so its
/// bytes, and so the hash, survive both databases unchanged. Never holds a secret: the factories in
/// <see cref="AuditEvents"/> take no request body and redact secret-named fields of platform objects.
/// </summary>
/// <param name="Occurred">When it happened; <c>default</c> lets the audit log stamp it with its clock on append.</param>
/// <param name="Kind">One of <see cref="AuditKinds"/>.</param>
/// <param name="Actor">Who acted: the operator for operator actions; null for IdP requests (see Connection).</param>
/// <param name="Connection">The IdP connection's name, for SCIM requests.</param>
/// <param name="Target">The platform target, for platform changes and reconciliation runs.</param>
/// <param name="ResourceType">User, Group, a platform object type (account, membership…), a run.</param>
/// <param name="ResourceId">The resource's id, when there is one.</param>
/// <param name="Action">What was done: create, read, patch…, a platform action, a reconcile trigger.</param>
/// <param name="Outcome">success, denied, failure (rejected by validation or a 4xx), error (5xx or an exception), or a run status.</param>
/// <param name="RequestId">The W3C trace id (or the server's request id) the event belongs to.</param>
/// <param name="Details">Kind-specific facts as a JSON object text (method, path, status, before/after, counts).</param>
public sealed record AuditEvent(
    DateTimeOffset Occurred,
    string Kind,
    string? Actor,
    string? Connection,
    string? Target,
    string? ResourceType,
    string? ResourceId,
    string? Action,
    string Outcome,
    string? RequestId,
    string? Details);

/// <summary>An event in the chain: its position, the previous event's hash and its own (both lower-case hex SHA-256).</summary>
public sealed record AuditRecord(long Sequence, string PreviousHash, string Hash, AuditEvent Event);

/// <summary>
/// Where the chain starts and ends. Base is the last pruned event (sequence 0 and <see cref="AuditChain.Genesis"/>
/// before any pruning); Head is the last appended event, updated in the same transaction as every append, so events
/// cut off the end of the chain are noticed too.
/// </summary>
public sealed record AuditAnchor(long BaseSequence, string BaseHash, long HeadSequence, string HeadHash);
