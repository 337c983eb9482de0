using System.Text.Json;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Reconciliation;

/// <summary>One line of a target's drift: what differs (or failed), about whom or what, and whether the previous pass saw it too.</summary>
public sealed record DriftLine(string Kind, string Subject, string Detail, bool New);

/// <summary>How much of each kind of drift a target has.</summary>
public sealed record DriftCounts(
    int MissingAccess,
    int ExtraAccess,
    int RoleMismatch,
    int PendingInvites,
    int UnownedAccounts,
    int Unsupported,
    int FailedSteps,
    int DeadLettered);

/// <summary>What changed since the previous full pass: drift lines that appeared, and ones that went away.</summary>
public sealed record DriftChange(int New, int Resolved);

/// <summary>A target's drift as its newest full pass saw it, with the failures since and the comparison with the pass before.</summary>
public sealed record TargetDrift(
    string Target,
    string? Platform,
    Guid? RunId,
    DateTimeOffset? RunStarted,
    string? Trigger,
    bool? DryRun,
    Guid? PreviousRunId,
    DriftCounts Counts,
    DriftChange SincePrevious,
    IReadOnlyList<DriftLine> Items);

public sealed record DriftReport(DateTimeOffset Generated, IReadOnlyList<TargetDrift> Targets)
{
    /// <summary>
    /// The other side of drift: where the IdP itself disagrees with what it pushed over SCIM (docs/idp-checks.md), per
    /// connection with read access to its IdP. Filled when the report covers every target.
    /// </summary>
    public IdentityProviders.IdpDriftReport? Idp { get; init; }
}

/// <summary>
/// The operators' drift report, per target: the drift of the newest full pass of the policy in force (scheduled,
/// operator or CLI; a SCIM change's run sees only a few identities, a policy preview another policy), the steps that
/// pass could not apply, the propagation work dead-lettered on that target, and what is new or resolved since the full
/// pass before it. Built from stored runs: reading it touches no platform.
/// </summary>
public sealed class DriftReports(
    IReconciliationStore runs,
    IWorkQueueInspector work,
    IPolicyProvider policies,
    IPlatformRegistry platforms,
    TimeProvider time)
{
    /// <summary>Dead letters looked at per report; beyond this an operator pages through /admin/work.</summary>
    public const int DeadLetterWindow = 1000;

    public async Task<DriftReport> BuildAsync(string? target, CancellationToken cancellationToken)
    {
        var names = (policies.Current.Policy?.Targets.Keys ?? []).Concat(platforms.Adapters.Select(a => a.Target.Name))
            .Distinct(StringComparer.Ordinal).Where(n => target is null || n == target).Order(StringComparer.Ordinal).ToList();
        if (target is not null && names.Count == 0)
        {
            throw new NotFoundException($"No target '{target}' is configured or in the policy.");
        }

        var deadLetters = await work.ListAsync("failed", IdentityChange.WorkKind, DeadLetterWindow, cancellationToken).ConfigureAwait(false);
        var result = new List<TargetDrift>();
        foreach (var name in names)
        {
            var passes = await runs.ListRunsAsync(name, ReconcileTriggers.FullPasses, 2, cancellationToken).ConfigureAwait(false);
            var current = passes.Count > 0 ? Parse(passes[0]) : null;
            var previous = passes.Count > 1 ? Parse(passes[1]) : null;
            var dead = deadLetters.Where(d => d.LastError is { } error && AboutTarget(error, name))
                .Select(d => new DriftLine("deadLettered", d.Key, d.LastError!, New: true));
            result.Add(Compare(name, platforms.Find(name)?.Target.Platform, passes.Count > 0 ? passes[0] : null, current, previous, passes.Count > 1 ? passes[1].Id : null, dead));
        }

        return new DriftReport(time.GetUtcNow(), result);
    }

    /// <summary>
    /// The pure part: a target's drift lines from its newest pass, each marked new unless the pass before had the same
    /// kind, subject and detail, and the count of the previous pass's lines that are gone.
    /// </summary>
    public static TargetDrift Compare(
        string target,
        string? platform,
        ReconcileRunRecord? run,
        TargetRunReport? current,
        TargetRunReport? previous,
        Guid? previousRunId,
        IEnumerable<DriftLine> deadLetters)
    {
        var before = previous is null ? [] : Lines(previous).Select(Key).ToHashSet();
        var lines = current is null ? [] : Lines(current).Select(l => l with { New = previous is null || !before.Contains(Key(l)) }).ToList();
        var now = lines.Select(Key).ToHashSet();
        var resolved = previous is null ? 0 : before.Count(k => !now.Contains(k));
        lines.AddRange(deadLetters);

        int Count(string kind) => lines.Count(l => l.Kind == kind);
        var counts = new DriftCounts(
            Count("missingAccess"), Count("extraAccess"), Count("roleMismatch"), Count("pendingInvite"), Count("unownedAccount"),
            Count("unsupported"), Count("failedStep"), Count("deadLettered"));
        return new TargetDrift(
            target, platform, run?.Id, run?.Started, run?.Trigger, run?.DryRun, previousRunId, counts,
            new DriftChange(lines.Count(l => l.New && l.Kind != "deadLettered"), resolved), lines);
    }

    private static IEnumerable<DriftLine> Lines(TargetRunReport report)
    {
        foreach (var item in report.Drift)
        {
            yield return new DriftLine(JsonNamingPolicy.CamelCase.ConvertName(item.Kind.ToString()), item.Subject, item.Detail, New: true);
        }

        foreach (var outcome in report.Outcomes.Where(o => o.Result is StepResult.Failed or StepResult.Transient or StepResult.Unsupported))
        {
            var step = outcome.Step;
            var subject = step.Email ?? step.ContainerName ?? step.AccountId ?? step.Credential?.Id ?? step.Target;
            yield return new DriftLine("failedStep", subject, $"{step.Kind} {outcome.Result.ToString().ToLowerInvariant()}: {outcome.Detail}", New: true);
        }
    }

    private static (string, string, string) Key(DriftLine line) => (line.Kind, line.Subject.ToLowerInvariant(), line.Detail);

    // The worker writes a dead letter's reason as "<target> <StepKind>: …" or "<target>: …" (ReconcileWorker.SettleAsync).
    private static bool AboutTarget(string error, string target) =>
        error.StartsWith(target, StringComparison.Ordinal) && error.Length > target.Length && error[target.Length] is ' ' or ':'
        || error.Contains("; " + target + ":", StringComparison.Ordinal);

    private static TargetRunReport? Parse(ReconcileRunRecord run)
    {
        try
        {
            return JsonSerializer.Deserialize<TargetRunReport>(run.ReportJson, Reconciler.ReportJson);
        }
        catch (JsonException)
        {
            // A report from an older version that no longer reads: the run is listed without its lines.
            return null;
        }
    }
}
