namespace ScimBridge.Core.Coordination;

/// <summary>A work item as operators see it: what it is about, how often it was tried, and why it last failed.</summary>
public sealed record WorkItemSummary(long Id, string Kind, string Key, string State, int Attempts, DateTimeOffset NotBefore, DateTimeOffset Updated, string? LastError);

/// <summary>
/// The operators' side of the work queue: list pending or dead-lettered ("failed") items with their reasons, and put a
/// dead-lettered item back in the queue once its cause is fixed.
/// </summary>
public interface IWorkQueueInspector
{
    /// <summary>Items in <paramref name="state"/> (pending, failed, done), most recently updated first.</summary>
    Task<IReadOnlyList<WorkItemSummary>> ListAsync(string state, string? kind, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes items done before <paramref name="before"/> (dead letters stay until requeued); returns how many went.</summary>
    Task<int> PruneDoneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Queues a failed item's work again as a new item, due now, with a full retry budget; false when it is not failed.</summary>
    Task<bool> RequeueAsync(long id, CancellationToken cancellationToken);
}
