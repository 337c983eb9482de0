using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScimBridge.Core.Audit;
using ScimBridge.Core.Coordination;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Reconciliation;

/// <summary>Which identities a run looks at: all of them (a full pass), or the few a SCIM change touched.</summary>
public sealed record ReconcileScope(IReadOnlyList<SourcedIdentity>? Identities, IReadOnlyList<string> GoneEmails)
{
    public static ReconcileScope Full { get; } = new(null, []);

    public bool IsFull => Identities is null;
}

public sealed record ReconcileRequest(string? Target, ReconcileScope Scope, bool DryRun, string Trigger)
{
    /// <summary>An operator's confirmation that a plan held by the removal circuit breaker may go ahead.</summary>
    public bool ConfirmRemovals { get; init; }

    /// <summary>
    /// A candidate policy to preview instead of the one in force: what would change if it were deployed. Only with
    /// <see cref="DryRun"/>; the managed-identity memory is left untouched.
    /// </summary>
    public MappingPolicy? CandidatePolicy { get; init; }

    /// <summary>Told as each target moves through a run (the CLI draws a progress bar from it).</summary>
    public IProgress<ReconcileProgress>? Progress { get; init; }
}

/// <summary>Where a run is on one target: reading, planning, applying (<c>Done</c> of <c>Total</c> steps) or done.</summary>
public sealed record ReconcileProgress(string Target, string Phase, int Done, int Total);

public enum RunStatus
{
    /// <summary>Every step applied or already in state.</summary>
    Applied,

    /// <summary>Dry run, or a target in observe mode: the plan was computed and nothing changed.</summary>
    Observed,

    /// <summary>The removal circuit breaker held the plan; an operator must confirm.</summary>
    Held,

    /// <summary>Some steps failed or must be retried.</summary>
    Partial,

    /// <summary>The run could not read the target or has no policy for it.</summary>
    Failed,
}

/// <summary>What a run did on one target: the drift it saw, the steps it planned and what became of each.</summary>
public sealed record TargetRunReport(
    Guid RunId,
    string Target,
    RunStatus Status,
    string? Message,
    IReadOnlyList<DriftItem> Drift,
    IReadOnlyList<PlanStep> Planned,
    IReadOnlyList<StepOutcome> Outcomes)
{
    /// <summary>
    /// The run looked at every identity and the whole target (a scheduled or operator pass), so its drift is the target's;
    /// a run for a few changed identities sees only theirs.
    /// </summary>
    public bool FullScope { get; init; }

    /// <summary>The longest Retry-After among transient step failures: when to try again.</summary>
    public TimeSpan? RetryAfter => Outcomes.Any(o => o.Result == StepResult.Transient)
        ? Outcomes.Where(o => o.Result == StepResult.Transient).Max(o => o.RetryAfter ?? TimeSpan.Zero)
        : null;
}

/// <summary>
/// One reconciliation pass, level-triggered: read the policy and the identities, read each target's actual state,
/// plan the difference (<see cref="Planner"/>), hold it if it would remove too many, apply it in enforce mode, remember
/// whom the policy manages, and save the run. Every trigger (a SCIM change, the schedule, an operator) comes here.
/// </summary>
public sealed class Reconciler(
    IPolicyProvider policies,
    IPlatformRegistry platforms,
    IdentitySource identities,
    IReconciliationStore store,
    ILeaderElection leases,
    IAuditLog audit,
    TimeProvider time)
{
    /// <summary>The breaker ignores plans touching fewer accounts than this, so one leaver in a small team still goes through.</summary>
    public const int BreakerFloor = 2;

    /// <summary>How often a run waiting for another replica's run on the same target asks for the target again.</summary>
    public static readonly TimeSpan LeasePollInterval = TimeSpan.FromMilliseconds(100);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _targetGates = new(StringComparer.Ordinal);

    /// <summary>How run reports are written, saved and served: camelCase, enums as camelCase strings, no nulls.</summary>
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<IReadOnlyList<TargetRunReport>> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        if (request.CandidatePolicy is not null && !request.DryRun)
        {
            throw new ArgumentException("A candidate policy can only be previewed (dry run).", nameof(request));
        }

        var snapshot = policies.Current;
        if ((request.CandidatePolicy ?? snapshot.Policy) is not { } policy)
        {
            throw new InvalidOperationException("No valid mapping policy is loaded: " + string.Join("; ", snapshot.Errors));
        }

        var targets = policy.Targets.Values.Where(t => request.Target is null || t.Name == request.Target).ToList();
        if (request.Target is not null && targets.Count == 0)
        {
            throw new NotFoundException($"The policy has no target '{request.Target}'.");
        }

        var platformOf = platforms.Adapters.ToDictionary(a => a.Target.Name, a => a.Target.Platform, StringComparer.Ordinal);
        var evaluator = new PolicyEvaluator(policy, platformOf);
        var attributes = policy.Rules.SelectMany(r => r.Match.Attributes.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var people = request.Scope.Identities ?? await ReadAllAsync(attributes, cancellationToken).ConfigureAwait(false);
        // Targets are independent (their own adapters, circuit breakers and managed sets): run them side by side, so
        // a slow platform does not delay a leaver's removal from the others.
        return await Task.WhenAll(targets.Select(target => ReconcileTargetAsync(target, policy, evaluator, people, request, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<TargetRunReport> ReconcileTargetAsync(
        TargetPolicy target,
        MappingPolicy policy,
        PolicyEvaluator evaluator,
        IReadOnlyList<SourcedIdentity> people,
        ReconcileRequest request,
        CancellationToken cancellationToken)
    {
        using var activity = ScimBridgeTelemetry.ActivitySource.StartActivity($"reconcile {target.Name}");
        var runId = Guid.CreateVersion7(time.GetUtcNow());
        var started = time.GetUtcNow();
        var begun = time.GetTimestamp();
        TargetRunReport report;

        // Runs that may change a target take turns: the worker's scoped run and the scheduled pass would otherwise
        // both see "no account, no invite" for a joiner and both invite (seen in ScheduledPassTests). In a process a
        // semaphore queues them fairly; across replicas a lease on the target does (docs/decisions/0010-reconciliation.md).
        var gate = request.DryRun ? null : _targetGates.GetOrAdd(target.Name, _ => new SemaphoreSlim(1, 1));
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        ILeadership? lease = null;
        try
        {
            lease = gate is null ? null : await AcquireTargetLeaseAsync(target.Name, cancellationToken).ConfigureAwait(false);

            // A lost lease (its database session broke) means another replica may start on this target: stop applying.
            using var linked = lease is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            report = platforms.Find(target.Name) is not { } adapter
                ? new TargetRunReport(runId, target.Name, RunStatus.Failed, $"target '{target.Name}' is in the policy but not configured under Platforms:Targets", [], [], [])
                : await PlanAndApplyAsync(runId, adapter, target, policy, evaluator, people, request, linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformException e)
        {
            report = new TargetRunReport(runId, target.Name, RunStatus.Failed, $"could not read the target: {e.Message}", [], [], []);
        }
        catch (OperationCanceledException) when (lease is { Lost.IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            // Not a shutdown: the database session holding the lease broke. The run stops where it was (every step is
            // idempotent) and says so; the worker retries its changes and the next pass sees what landed.
            report = new TargetRunReport(runId, target.Name, RunStatus.Failed, "lost the target's lease mid-run (its database session ended); stopped, to be retried", [], [], []);
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }

            gate?.Release();
        }

        report = report with { FullScope = request.Scope.IsFull };
        request.Progress?.Report(new ReconcileProgress(target.Name, "done", report.Outcomes.Count, report.Planned.Count));
        ScimBridgeTelemetry.ReconcileDuration.Record(time.GetElapsedTime(begun).TotalMilliseconds, new TagList { { "target", target.Name }, { "status", report.Status.ToString() } });
        ScimBridgeTelemetry.ReconcileDrift.Add(report.Drift.Count, new TagList { { "target", target.Name } });
        await store.SaveRunAsync(
            new ReconcileRunRecord(runId, target.Name, request.Trigger, request.DryRun, report.Status.ToString(), started, time.GetUtcNow(), JsonSerializer.Serialize(report, ReportJson)),
            cancellationToken).ConfigureAwait(false);

        // Committed before the caller hears of the run: a change that landed on a platform is never missing from the trail.
        await audit.AppendAsync(ReconcileAudit.Events(report, request.Trigger, request.DryRun), cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<TargetRunReport> PlanAndApplyAsync(
        Guid runId,
        IPlatformAdapter adapter,
        TargetPolicy target,
        MappingPolicy policy,
        PolicyEvaluator evaluator,
        IReadOnlyList<SourcedIdentity> people,
        ReconcileRequest request,
        CancellationToken cancellationToken)
    {
        var managed = await store.GetManagedAsync(target.Name, cancellationToken).ConfigureAwait(false);

        var inputs = new List<IdentityPlanInput>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in people)
        {
            if (person.Email is not { } email || !seen.Add(email))
            {
                continue;
            }

            var desired = evaluator.Evaluate(person.Identity).GetValueOrDefault(target.Name);
            inputs.Add(new IdentityPlanInput(person.Identity.UserId, email, desired, managed.ContainsKey(email)));
        }

        // Managed identities the IdP no longer has (deleted): leavers, found by the email we remember them by.
        var gone = request.Scope.IsFull ? managed.Keys.Where(e => !seen.Contains(e)) : request.Scope.GoneEmails.Where(e => !seen.Contains(e) && managed.ContainsKey(e));
        foreach (var email in gone.ToList())
        {
            seen.Add(email);
            inputs.Add(new IdentityPlanInput(managed[email].IdentityId, email, null, PreviouslyManaged: true));
        }

        // A scoped run reads only what its identities' plan can touch: their accounts, memberships, the groups the policy
        // manages here, and credentials only when one of them may be leaving (their keys go first).
        var snapshotScope = request.Scope.IsFull
            ? SnapshotScope.Full
            : new SnapshotScope(
                [.. inputs.Select(i => i.Email)],
                Credentials: inputs.Any(i => i.Desired is null && i.PreviouslyManaged) || target.Unmanaged == UnmanagedAccess.Remove,
                Groups: policy.Rules.Any(r => r.Grants.Any(g => g.Target == target.Name && g.Groups.Count > 0)));
        request.Progress?.Report(new ReconcileProgress(target.Name, "reading", 0, 0));
        var actual = await SnapshotReader.ReadAsync(adapter, snapshotScope, cancellationToken).ConfigureAwait(false);
        request.Progress?.Report(new ReconcileProgress(target.Name, "planning", 0, 0));
        var plan = Planner.Plan(target, policy, inputs, actual, request.Scope.IsFull);
        if (request.DryRun || target.Mode == TargetMode.Observe)
        {
            if (request.CandidatePolicy is null)
            {
                await RememberAsync(target.Name, inputs, people, outcomes: null, cancellationToken).ConfigureAwait(false);
            }

            return new TargetRunReport(runId, target.Name, RunStatus.Observed, request.DryRun ? "dry run" : "observe mode", plan.Drift, plan.Steps, []);
        }

        var losing = plan.Steps.Where(s => s.IsRemoval && s.AccountId is not null).Select(s => s.AccountId!).Distinct(StringComparer.Ordinal).Count();
        // A scoped run saw only its own identities' accounts; the managed set stands in for the size of the target then.
        var members = Math.Max(1, Math.Max(actual.Accounts.Count(a => a.Status == AccountStatus.Active), managed.Count));
        if (!request.ConfirmRemovals && losing >= BreakerFloor && losing > target.MaxRemovalShare * members)
        {
            return new TargetRunReport(runId, target.Name, RunStatus.Held,
                $"the plan would take access from {losing} of {members} accounts, more than maxRemovalShare {target.MaxRemovalShare:P0}; confirm to apply",
                plan.Drift, plan.Steps, []);
        }

        var outcomes = await ApplyAsync(adapter, plan.Steps, request.Progress, cancellationToken).ConfigureAwait(false);
        await RememberAsync(target.Name, inputs, people, outcomes, cancellationToken).ConfigureAwait(false);
        var status = outcomes.All(o => o.Result is StepResult.Applied or StepResult.AlreadyInState) ? RunStatus.Applied : RunStatus.Partial;
        return new TargetRunReport(runId, target.Name, status, null, plan.Drift, plan.Steps, outcomes);
    }

    /// <summary>
    /// Applies a plan within the target's concurrency budget (<see cref="PlatformTarget.MaxConcurrency"/>). Steps that
    /// are not about one identity (creating a declared container) go first, in order, because grants may need them; then
    /// each identity's steps run in their planned order (a leaver's keys before the account), identities side by side.
    /// Outcomes come back in plan order.
    /// </summary>
    private static async Task<List<StepOutcome>> ApplyAsync(IPlatformAdapter adapter, IReadOnlyList<PlanStep> steps, IProgress<ReconcileProgress>? progress, CancellationToken cancellationToken)
    {
        var outcomes = new StepOutcome[steps.Count];
        var done = 0;
        void Applied() => progress?.Report(new ReconcileProgress(adapter.Target.Name, "applying", Interlocked.Increment(ref done), steps.Count));
        var perIdentity = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < steps.Count; i++)
        {
            if ((steps[i].Email ?? steps[i].IdentityId) is not { } who)
            {
                outcomes[i] = await StepExecutor.ApplyAsync(adapter, steps[i], cancellationToken).ConfigureAwait(false);
                Applied();
            }
            else
            {
                (perIdentity.TryGetValue(who, out var list) ? list : perIdentity[who] = []).Add(i);
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, adapter.Target.MaxConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(perIdentity.Values, parallel, async (indexes, ct) =>
        {
            foreach (var i in indexes)
            {
                outcomes[i] = await StepExecutor.ApplyAsync(adapter, steps[i], ct).ConfigureAwait(false);
                Applied();
            }
        }).ConfigureAwait(false);
        return [.. outcomes];
    }

    /// <summary>
    /// Waits for the cross-replica lease on <paramref name="target"/>. Holders finish a run and hand it back, so polling
    /// briefly is enough; a dead holder's lease goes with its database session.
    /// </summary>
    private async Task<ILeadership> AcquireTargetLeaseAsync(string target, CancellationToken cancellationToken)
    {
        var name = "reconcile.target:" + target;
        while (true)
        {
            if (await leases.TryAcquireAsync(name, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }

            await Task.Delay(LeasePollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The policy manages whoever it grants something. A leaver is forgotten once every step taken about them went
    // through (their account is gone, or there was none); until then the next run treats them as a leaver again.
    // Without outcomes (dry run, observe mode) nothing was taken away, so nobody is forgotten.
    private async Task RememberAsync(string target, List<IdentityPlanInput> inputs, IReadOnlyList<SourcedIdentity> people, List<StepOutcome>? outcomes, CancellationToken cancellationToken)
    {
        var connectionOf = people.Where(p => p.Email is not null).GroupBy(p => p.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().ConnectionId, StringComparer.OrdinalIgnoreCase);
        var manage = inputs.Where(i => i.Desired is not null)
            .Select(i => new ManagedIdentity(i.Email, i.IdentityId, connectionOf.GetValueOrDefault(i.Email)))
            .ToList();
        List<string> forget = [];
        if (outcomes is not null)
        {
            var unfinished = outcomes.Where(o => o.Result is not (StepResult.Applied or StepResult.AlreadyInState) && o.Step.Email is not null)
                .Select(o => o.Step.Email!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            forget = [.. inputs.Where(i => i.Desired is null && i.PreviouslyManaged && !unfinished.Contains(i.Email)).Select(i => i.Email)];
        }

        await store.UpdateManagedAsync(target, manage, forget, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<SourcedIdentity>> ReadAllAsync(IReadOnlyCollection<string> attributes, CancellationToken cancellationToken)
    {
        var all = new List<SourcedIdentity>();
        await foreach (var identity in identities.ListAsync(attributes, cancellationToken).ConfigureAwait(false))
        {
            all.Add(identity);
        }

        return all;
    }
}
