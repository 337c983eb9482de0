using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Audit;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Storage;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>
/// Checks one connection (or every configured one) against its IdP now. <paramref name="Repair"/> overrides the
/// connection's mode for this run only: true applies the plan of a <c>report</c> connection, false keeps an
/// <c>apply</c> connection to reporting; a <c>none</c> connection never repairs.
/// </summary>
public sealed record RunIdpCheck(string? Connection, string Trigger, bool? Repair = null) : ICommand<IReadOnlyList<IdpCheckReport>>;

public sealed partial class RunIdpCheckHandler(
    IIdpCheckRegistry registry,
    IConnectionStore connections,
    IResourceStore store,
    IIdpCheckStore checks,
    RepairExecutor executor,
    IdpCheckGate gate,
    IEnumerable<IAuditLog> audit,
    TimeProvider time,
    ILogger<RunIdpCheckHandler> logger) : ICommandHandler<RunIdpCheck, IReadOnlyList<IdpCheckReport>>
{
    public const string AuditKindCheck = AuditKinds.IdpCheck;
    public const string AuditKindRepair = AuditKinds.IdpRepair;

    public async ValueTask<IReadOnlyList<IdpCheckReport>> Handle(RunIdpCheck command, CancellationToken cancellationToken)
    {
        IReadOnlyList<IdpCheckConnection> selected = command.Connection is null
            ? registry.Connections
            : [registry.Find(command.Connection) ?? throw new NotFoundException($"No IdP check is configured for connection '{command.Connection}' (IdentityProviders:Connections).")];
        var reports = new List<IdpCheckReport>(selected.Count);
        foreach (var connection in selected)
        {
            var semaphore = gate.For(connection.Name);
            await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                reports.Add(await CheckAsync(connection, command, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                semaphore.Release();
            }
        }

        return reports;
    }

    private async Task<IdpCheckReport> CheckAsync(IdpCheckConnection check, RunIdpCheck command, CancellationToken cancellationToken)
    {
        using var activity = ScimBridgeTelemetry.ActivitySource.StartActivity("idp.check");
        activity?.SetTag("idp.connection", check.Name);
        activity?.SetTag("idp.trigger", command.Trigger);
        var id = Guid.CreateVersion7();
        var started = time.GetUtcNow();
        var apply = check.Repair switch
        {
            RepairMode.Apply => command.Repair ?? true,
            RepairMode.Report => command.Repair ?? false,
            _ => false,
        };

        IdpCheckReport Failed(string error, IdpReadStats? read = null) => new(
            id, check.Name, command.Trigger, IdpCheckReport.Failed, check.Repair, false, started, time.GetUtcNow(), read, 0, 0, 0, 0, [], [], [], null, error);

        IdpCheckReport report;
        IdpCursorState? newCursor = null;
        var connection = await connections.FindByNameAsync(check.Name, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            report = Failed($"No SCIM connection is named '{check.Name}'.");
        }
        else
        {
            var read = await ReadAsync(check, cancellationToken).ConfigureAwait(false);
            if (read.Error is not null)
            {
                // Nothing read, nothing compared, nothing repaired, the cursor kept: a failed read must never look like
                // "the IdP assigns nobody".
                report = Failed(read.Error);
            }
            else
            {
                var result = read.Result!;
                var scim = await ScimView.ReadAsync(store, connection.Id, cancellationToken).ConfigureAwait(false);
                var findings = IdpComparison.Compare(result.View, scim);
                var plan = check.Repair == RepairMode.None ? RepairPlan.Nothing : RepairPlan.For(findings, result.View, scim);
                IReadOnlyList<RepairOutcome> outcomes = apply
                    ? await executor.ApplyAsync(connection, plan, result.View, cancellationToken).ConfigureAwait(false)
                    : [.. plan.Steps.Select(s => new RepairOutcome(s.Action, s.Finding, "planned"))];
                report = new IdpCheckReport(
                    id, check.Name, command.Trigger, findings.Count == 0 ? IdpCheckReport.Consistent : IdpCheckReport.Drift, check.Repair, apply, started,
                    time.GetUtcNow(), result.Stats, result.View.Users.Count, result.View.Groups.Count, scim.Users.Count, scim.Groups.Count, findings, outcomes,
                    plan.Held, plan.HeldReason, null);
                newCursor = new IdpCursorState(result.Cursor, result.View, report.Finished);
            }
        }

        await checks.SaveRunAsync(report, newCursor, cancellationToken).ConfigureAwait(false);
        Record(report, activity);
        await AuditAsync(report, cancellationToken).ConfigureAwait(false);
        if (report.Status == IdpCheckReport.Failed)
        {
            LogCheckFailed(logger, check.Name, report.Error!);
        }
        else
        {
            var applied = report.Repairs.Count(r => r.Result == "applied");
            LogChecked(logger, check.Name, report.Status, report.Findings.Count, applied, report.Read!.Incremental);
        }

        return report;
    }

    private static void Record(IdpCheckReport report, System.Diagnostics.Activity? activity)
    {
        var connection = new KeyValuePair<string, object?>("connection", report.Connection);
        IdpCheckMetrics.Checks.Add(1, connection, new KeyValuePair<string, object?>("status", report.Status));
        IdpCheckMetrics.Duration.Record((report.Finished - report.Started).TotalMilliseconds, connection, new KeyValuePair<string, object?>("status", report.Status));
        foreach (var (kind, count) in report.Counts())
        {
            IdpCheckMetrics.Findings.Add(count, connection, new KeyValuePair<string, object?>("kind", kind));
        }

        if (report.Read is { } read)
        {
            IdpCheckMetrics.Requests.Add(read.Requests, connection);
        }

        activity?.SetTag("idp.status", report.Status);
        activity?.SetTag("idp.findings", report.Findings.Count);
    }

    private async Task<(IdpReadResult? Result, string? Error)> ReadAsync(IdpCheckConnection check, CancellationToken cancellationToken)
    {
        var state = await checks.GetCursorAsync(check.Name, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await check.Directory.ReadAsync(state?.View, state?.Cursor, cancellationToken).ConfigureAwait(false), null);
        }
        catch (IdpReadException e) when (e.CursorExpired && state is not null)
        {
            LogCursorExpired(logger, check.Name);
            try
            {
                return (await check.Directory.ReadAsync(null, null, cancellationToken).ConfigureAwait(false), null);
            }
            catch (IdpReadException again)
            {
                return (null, again.Message);
            }
        }
        catch (IdpReadException e)
        {
            return (null, e.Message);
        }
    }

    // The chain gets the run (kind idp.check) and each applied or failed repair step (kind idp.repair); never a secret,
    // only ids, user names and counts.
    private async Task AuditAsync(IdpCheckReport report, CancellationToken cancellationToken)
    {
        if (audit.FirstOrDefault() is not { } log)
        {
            return;
        }

        var events = new List<AuditEvent>
        {
            new(default, AuditKindCheck, report.Trigger, report.Connection, null, "idp-check", report.Id.ToString(), report.RepairApplied ? "check-and-repair" : "check",
                report.Status, null, new JsonObject
                {
                    ["counts"] = JsonSerializer.SerializeToNode(report.Counts(), IdpCheckReport.Json),
                    ["findings"] = report.Findings.Count,
                    ["error"] = report.Error,
                    ["heldReason"] = report.HeldReason,
                }.ToJsonString()),
        };
        foreach (var outcome in report.Repairs.Where(r => r.Result != "planned"))
        {
            var f = outcome.Finding;
            events.Add(new AuditEvent(
                default, AuditKindRepair, report.Trigger, report.Connection, null, f.ScimGroupId is not null || outcome.Action == RepairAction.CreateGroup ? "Group" : "User",
                f.ScimUserId ?? f.ScimGroupId, outcome.Action.ToString(), outcome.Result == "applied" ? "success" : "error", null,
                new JsonObject
                {
                    ["checkId"] = report.Id.ToString(),
                    ["finding"] = f.Kind.ToString(),
                    ["userName"] = f.UserName,
                    ["groupName"] = f.GroupName,
                    ["idpUserId"] = f.IdpUserId,
                    ["idpGroupId"] = f.IdpGroupId,
                    ["error"] = outcome.Error,
                }.ToJsonString()));
        }

        await log.AppendAsync(events, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "IdP check of {Connection}: {Status}, {Findings} findings, {Applied} repairs applied (incremental read: {Incremental})")]
    private static partial void LogChecked(ILogger logger, string connection, string status, int findings, int applied, bool incremental);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "IdP check of {Connection} failed; nothing was compared or repaired: {Error}")]
    private static partial void LogCheckFailed(ILogger logger, string connection, string error);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "IdP check of {Connection}: the stored cursor has expired; reading in full")]
    private static partial void LogCursorExpired(ILogger logger, string connection);
}
