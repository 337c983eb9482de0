namespace ScimBridge.Core.Reconciliation;

/// <summary>An IdP identity ScimBridge has granted access to on a target, keyed by the email the platform knows it by.</summary>
public sealed record ManagedIdentity(string Email, string IdentityId, Guid ConnectionId);

/// <summary>A reconciliation run: what triggered it, how it ended, and its report (plan, drift, step outcomes) as JSON.</summary>
public sealed record ReconcileRunRecord(
    Guid Id,
    string Target,
    string Trigger,
    bool DryRun,
    string Status,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    string ReportJson);

/// <summary>
/// What reconciliation remembers between runs: which identities it manages on each target (so losing every grant
/// makes a leaver, not "unmanaged access"), and the runs with their reports.
/// </summary>
public interface IReconciliationStore
{
    /// <summary>The identities managed on <paramref name="target"/>, by lower-cased email.</summary>
    Task<IReadOnlyDictionary<string, ManagedIdentity>> GetManagedAsync(string target, CancellationToken cancellationToken);

    /// <summary>Records identities as managed (upsert by target and email) and forgets others, in one transaction.</summary>
    Task UpdateManagedAsync(string target, IReadOnlyCollection<ManagedIdentity> manage, IReadOnlyCollection<string> forgetEmails, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Inserts the run, or updates it when a run with that id exists (a run is saved when it starts and when it ends).</summary>
    Task SaveRunAsync(ReconcileRunRecord run, CancellationToken cancellationToken);

    Task<ReconcileRunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes runs started before <paramref name="before"/>, keeping each target's newest run whatever its age (the
    /// drift report compares against it). Returns how many went.
    /// </summary>
    Task<int> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The newest runs of <paramref name="target"/> with one of <paramref name="triggers"/>, newest first.</summary>
    Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string target, IReadOnlyCollection<string> triggers, int limit, CancellationToken cancellationToken);

    /// <summary>The newest runs first, of one target or all, without their reports (<c>ReportJson</c> is empty).</summary>
    Task<IReadOnlyList<ReconcileRunRecord>> ListRunsAsync(string? target, int limit, CancellationToken cancellationToken);
}
