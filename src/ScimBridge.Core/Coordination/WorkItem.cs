namespace ScimBridge.Core.Coordination;

/// <summary>
/// A claimed work item and the lease under which its claimer works on it. <c>Attempts</c> counts the claims, this one
/// included, and is the lease's fencing token: a later claim of the same item raises it, so a worker whose lease
/// expired cannot complete or fail the item under the new lease. A handler may give up (FailAsync with no retry) once
/// it is too high; a worker that crashed on the item counted too.
/// </summary>
public sealed record WorkItem(
    long Id,
    string Kind,
    string Key,
    string PayloadJson,
    int Attempts,
    DateTimeOffset NotBefore,
    string LeaseOwner,
    DateTimeOffset LeaseExpires,
    string? LastError);
