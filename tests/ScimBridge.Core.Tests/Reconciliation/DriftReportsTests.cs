using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Tests.Reconciliation;

public sealed class DriftReportsTests
{
    private static readonly Guid Run = Guid.NewGuid();

    private static TargetRunReport Report(IReadOnlyList<DriftItem> drift, IReadOnlyList<StepOutcome>? outcomes = null) =>
        new(Run, "openai", RunStatus.Partial, null, drift, [], outcomes ?? []) { FullScope = true };

    [Fact]
    public void Lines_are_new_unless_the_previous_pass_saw_them_and_gone_ones_count_as_resolved()
    {
        var previous = Report(
        [
            new DriftItem(DriftKind.MissingAccess, "openai", "ada@example.com", "no account yet"),
            new DriftItem(DriftKind.UnownedAccount, "openai", "shadow@example.com", "no IdP identity owns this account"),
        ]);
        var invite = new PlanStep(StepKind.InviteAccount, "openai", "joiner") { Email = "bob@example.com", Role = "reader" };
        var current = Report(
            [
                new DriftItem(DriftKind.UnownedAccount, "openai", "SHADOW@example.com", "no IdP identity owns this account"),
                new DriftItem(DriftKind.RoleMismatch, "openai", "cy@example.com", "reader, policy says owner"),
            ],
            [new StepOutcome(invite, StepResult.Failed, "payment_method_required"), new StepOutcome(invite with { Email = "dee@example.com" }, StepResult.Applied, null)]);
        var deadLetter = new DriftLine("deadLettered", "conn:user-9", "openai InviteAccount: seat limit", New: true);

        var drift = DriftReports.Compare("openai", "openai", null, current, previous, Guid.NewGuid(), [deadLetter]);

        Assert.Equal(new DriftCounts(0, 0, 1, 0, 1, 0, 1, 1), drift.Counts);
        Assert.False(drift.Items.Single(l => l.Kind == "unownedAccount").New); // emails compare case-insensitively
        Assert.True(drift.Items.Single(l => l.Kind == "roleMismatch").New);
        var failed = drift.Items.Single(l => l.Kind == "failedStep");
        Assert.Equal(("bob@example.com", "InviteAccount failed: payment_method_required"), (failed.Subject, failed.Detail));
        Assert.Equal(new DriftChange(New: 2, Resolved: 1), drift.SincePrevious); // role mismatch and the failure; Ada's drift went
    }

    [Fact]
    public void Without_a_previous_pass_everything_is_new_and_nothing_resolved_and_without_any_pass_the_target_is_listed_empty()
    {
        var first = DriftReports.Compare("openai", "openai", null, Report([new DriftItem(DriftKind.PendingInvite, "openai", "ada@example.com", "invited")]), null, null, []);
        Assert.Equal(new DriftChange(1, 0), first.SincePrevious);
        Assert.Equal(1, first.Counts.PendingInvites);

        var none = DriftReports.Compare("cursor", "cursor", null, null, null, null, []);
        Assert.Empty(none.Items);
        Assert.Null(none.RunId);
        Assert.Equal(new DriftChange(0, 0), none.SincePrevious);
    }
}
