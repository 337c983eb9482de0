using System.Text.Json;
using ScimBridge.Core.Audit;

namespace ScimBridge.Core.Reconciliation;

/// <summary>
/// What a run puts in the audit trail: one event for the run (trigger, mode, status, counts) and one per step it
/// applied or tried, with the platform object, the action, before and after as the plan knew them, and the result.
/// Planned steps of a dry run or a held plan changed nothing and appear only in the run's counts.
/// </summary>
public static class ReconcileAudit
{
    public static IReadOnlyList<AuditEvent> Events(TargetRunReport report, string trigger, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["drift"] = report.Drift.Count,
            ["planned"] = report.Planned.Count,
            ["applied"] = report.Outcomes.Count(o => o.Result == StepResult.Applied),
            ["alreadyInState"] = report.Outcomes.Count(o => o.Result == StepResult.AlreadyInState),
            ["failed"] = report.Outcomes.Count(o => o.Result is StepResult.Failed or StepResult.Unsupported),
            ["transient"] = report.Outcomes.Count(o => o.Result == StepResult.Transient),
        };
        var events = new List<AuditEvent>(report.Outcomes.Count + 1)
        {
            AuditEvents.ReconcileRun(report.RunId, report.Target, trigger, dryRun, JsonNamingPolicy.CamelCase.ConvertName(report.Status.ToString()), counts),
        };
        foreach (var outcome in report.Outcomes)
        {
            var step = outcome.Step;
            var (objectType, objectId, before, after) = Describe(step, outcome.CreatedId);
            events.Add(AuditEvents.PlatformChange(
                report.Target, objectType, objectId, JsonNamingPolicy.CamelCase.ConvertName(step.Kind.ToString()), before, after,
                JsonNamingPolicy.CamelCase.ConvertName(outcome.Result.ToString()), report.RunId, outcome.Detail ?? step.Reason));
        }

        return events;
    }

    private static (string Type, string? Id, object? Before, object? After) Describe(PlanStep step, string? createdId) => step.Kind switch
    {
        StepKind.InviteAccount => ("invitation", createdId, null, new { email = step.Email, role = step.Role, containers = step.Containers.Select(c => new { c.ContainerId, c.Role }) }),
        StepKind.CancelInvitation => ("invitation", step.InvitationId, new { email = step.Email, status = "pending" }, null),
        StepKind.RemoveAccount => ("account", step.AccountId, new { email = step.Email, role = step.PreviousRole }, null),
        StepKind.SetOrganizationRole => ("account", step.AccountId, new { email = step.Email, role = step.PreviousRole }, new { email = step.Email, role = step.Role }),
        StepKind.CreateContainer => ("container", createdId, null, new { name = step.ContainerName }),
        StepKind.GrantMembership => ("membership", Membership(step),
            step.PreviousRole is null ? null : new { container = step.ContainerName ?? step.ContainerId, role = step.PreviousRole },
            new { container = step.ContainerName ?? step.ContainerId, account = step.AccountId, email = step.Email, role = step.Role }),
        StepKind.RevokeMembership => ("membership", Membership(step),
            new { container = step.ContainerName ?? step.ContainerId, account = step.AccountId, email = step.Email, role = step.PreviousRole }, null),
        StepKind.AddGroupMember => ("groupMembership", $"{step.GroupId}/{step.AccountId}", null, new { group = step.GroupId, account = step.AccountId, email = step.Email }),
        StepKind.RemoveGroupMember => ("groupMembership", $"{step.GroupId}/{step.AccountId}", new { group = step.GroupId, account = step.AccountId, email = step.Email }, null),
        StepKind.DisableCredential => ("credential", step.Credential?.Id, new { status = "active", owner = step.Email, container = step.Credential?.ContainerId }, new { status = "inactive" }),
        StepKind.DeleteCredential => ("credential", step.Credential?.Id, new { status = "active", owner = step.Email, container = step.Credential?.ContainerId }, null),
        _ => (step.Kind.ToString(), step.AccountId, null, null),
    };

    private static string Membership(PlanStep step) => $"{step.ContainerId ?? step.ContainerName}/{step.AccountId}";
}
