using System.Text.Json.Nodes;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Tests.Reconciliation;

public sealed class PlannerTests
{
    private const PlatformCapabilities OpenAI = PlatformCapabilities.ListAccounts | PlatformCapabilities.ListContainers | PlatformCapabilities.ListGroups
        | PlatformCapabilities.InviteAccounts | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.SetAccountRoles | PlatformCapabilities.GrantMembership
        | PlatformCapabilities.RevokeMembership | PlatformCapabilities.ManageContainers | PlatformCapabilities.ManageGroups | PlatformCapabilities.DeleteCredentials;

    private const string PolicyYaml = """
        targets:
          openai-main: {containers: [sandbox]}
        rules:
          - name: research
            match: {groups: [Research]}
            grant: {openai-main: {orgRole: reader, containers: {research: member}}}
          - name: leads
            match: {groups: [Leads]}
            grant: {openai-main: {orgRole: owner, containers: {research: owner}}}
          - name: ops
            match: {groups: [Ops]}
            grant: {openai-main: {orgRole: reader, containers: {ops: member}}}
        """;

    private static readonly MappingPolicy Policy = PolicyParser.Parse(PolicyYaml).Policy!;

    private static readonly PlatformContainer Research = new("proj_research", "research", ContainerKind.Project, false, null);
    private static readonly PlatformContainer Ops = new("proj_ops", "ops", ContainerKind.Project, false, null);
    private static readonly PlatformContainer Sandbox = new("proj_sandbox", "sandbox", ContainerKind.Project, false, null);

    private static IdentityPlanInput Identity(string email, bool previouslyManaged = false, bool active = true, params string[] groups)
    {
        var evaluator = new PolicyEvaluator(Policy, new Dictionary<string, string> { ["openai-main"] = "openai" });
        var identity = new PolicyIdentity(email, "entra", email, active, new JsonObject(), [.. groups.Select(g => new IdentityGroup(g, g, null))]);
        return new IdentityPlanInput(email, email, evaluator.Evaluate(identity).GetValueOrDefault("openai-main"), previouslyManaged);
    }

    private static TargetSnapshot Snapshot(
        PlatformAccount[]? accounts = null,
        PlatformInvitation[]? invitations = null,
        ContainerMember[]? members = null,
        PlatformCredential[]? credentials = null,
        PlatformCapabilities caps = OpenAI) =>
        new("openai-main", caps, accounts ?? [], invitations ?? [], [Research, Ops, Sandbox],
            (members ?? []).GroupBy(m => m.ContainerId).ToDictionary(g => g.Key, g => (IReadOnlyList<ContainerMember>)[.. g]),
            [], new Dictionary<string, IReadOnlyList<GroupMember>>(), credentials ?? []);

    private static PlatformAccount Account(string id, string email, string role = "reader") => new(id, email, email, role, AccountStatus.Active, null);

    private static TargetPlan Plan(IdentityPlanInput[] identities, TargetSnapshot snapshot, UnmanagedAccess unmanaged = UnmanagedAccess.Report) =>
        Planner.Plan(Policy.Targets["openai-main"] with { Unmanaged = unmanaged }, Policy, identities, snapshot);

    [Fact]
    public void A_joiner_is_invited_with_the_org_role_and_the_existing_containers()
    {
        var plan = Plan([Identity("ada@example.com", groups: "Research")], Snapshot());

        var invite = Assert.Single(plan.Steps);
        Assert.Equal((StepKind.InviteAccount, "ada@example.com", "reader"), (invite.Kind, invite.Email, invite.Role));
        Assert.Equal([new ContainerGrant("proj_research", "member")], invite.Containers);
        Assert.Contains(plan.Drift, d => d.Kind == DriftKind.MissingAccess);
    }

    [Fact]
    public void A_pending_invitation_is_reported_not_sent_again()
    {
        var invitation = new PlatformInvitation("inv_1", "ADA@example.com", "reader", InvitationStatus.Pending, null, null, []);
        var plan = Plan([Identity("ada@example.com", groups: "Research")], Snapshot(invitations: [invitation]));

        Assert.Empty(plan.Steps);
        Assert.Equal(DriftKind.PendingInvite, Assert.Single(plan.Drift).Kind);
    }

    [Fact]
    public void A_mover_gets_the_role_change_the_new_container_and_loses_the_old_one()
    {
        var plan = Plan(
            [Identity("ada@example.com", previouslyManaged: true, groups: ["Leads", "Ops"])],
            Snapshot(accounts: [Account("user_ada", "ada@example.com")], members: [new("proj_research", "user_ada", null, null, "member"), new("proj_sandbox", "user_ada", null, null, "member")]));

        Assert.Equal(
            [
                (StepKind.SetOrganizationRole, null, "owner"),
                (StepKind.GrantMembership, "proj_ops", "member"),
                (StepKind.GrantMembership, "proj_research", "owner"),
                (StepKind.RevokeMembership, "proj_sandbox", null),
            ],
            plan.Steps.Select(s => (s.Kind, s.ContainerId, s.Role)));
    }

    [Fact]
    public void A_leaver_loses_their_keys_first_and_then_the_account()
    {
        var key = new PlatformCredential("key_1", CredentialKind.ApiKey, "laptop", "proj_research", new CredentialOwner(PrincipalKind.User, "user_ada", null, null), CredentialStatus.Active, null, null);
        var plan = Plan([Identity("ada@example.com", previouslyManaged: true, active: false, groups: "Research")], Snapshot(accounts: [Account("user_ada", "ada@example.com")], credentials: [key]));

        Assert.Equal([StepKind.DeleteCredential, StepKind.RemoveAccount], plan.Steps.Select(s => s.Kind));
        Assert.Equal(new CredentialRef("key_1", CredentialKind.ApiKey, "proj_research"), plan.Steps[0].Credential);
        Assert.Equal(2, plan.Removals);
    }

    [Fact]
    public void Access_no_rule_grants_is_reported_and_removed_only_when_the_target_says_so()
    {
        var snapshot = Snapshot(accounts: [Account("user_bob", "bob@example.com"), Account("user_eve", "shadow@example.com")]);
        var identities = new[] { Identity("bob@example.com") };

        var report = Plan(identities, snapshot);
        Assert.Empty(report.Steps);
        Assert.Contains(report.Drift, d => d is { Kind: DriftKind.ExtraAccess, Subject: "bob@example.com" });
        Assert.Contains(report.Drift, d => d is { Kind: DriftKind.UnownedAccount, Subject: "shadow@example.com" });

        var remove = Plan(identities, snapshot, UnmanagedAccess.Remove);
        Assert.Equal(["user_bob", "user_eve"], remove.Steps.Where(s => s.Kind == StepKind.RemoveAccount).Select(s => s.AccountId));
    }

    [Fact]
    public void A_declared_container_that_is_missing_is_created_and_a_missing_capability_is_reported()
    {
        var snapshot = Snapshot() with { Containers = [Research, Ops] };
        Assert.Equal(("sandbox", StepKind.CreateContainer), Plan([], snapshot).Steps.Select(s => (s.ContainerName!, s.Kind)).Single());

        var cursorLike = Snapshot(caps: PlatformCapabilities.ListAccounts | PlatformCapabilities.RemoveAccounts) with { Containers = [Research, Ops] };
        var plan = Plan([Identity("ada@example.com", groups: "Research")], cursorLike);
        Assert.Empty(plan.Steps);
        Assert.Contains(plan.Drift, d => d.Kind == DriftKind.Unsupported && d.Detail.Contains("invite", StringComparison.Ordinal));
        Assert.Contains(plan.Drift, d => d.Kind == DriftKind.Unsupported && d.Subject == "sandbox");
    }

    [Fact]
    public void An_identity_in_its_desired_state_produces_no_steps()
    {
        var plan = Plan(
            [Identity("ada@example.com", previouslyManaged: true, groups: "Research")],
            Snapshot(accounts: [Account("user_ada", "ada@example.com")], members: [new("proj_research", "user_ada", null, null, "member")]));

        Assert.Empty(plan.Steps);
        Assert.Empty(plan.Drift);
    }

    [Fact]
    public void A_leaver_who_never_accepted_has_the_invitation_withdrawn()
    {
        var invitation = new PlatformInvitation("inv_9", "ada@example.com", "reader", InvitationStatus.Pending, null, null, []);
        var plan = Plan([Identity("ada@example.com", previouslyManaged: true, active: false, groups: "Research")], Snapshot(invitations: [invitation]));

        var step = Assert.Single(plan.Steps);
        Assert.Equal((StepKind.CancelInvitation, "inv_9"), (step.Kind, step.InvitationId));
    }
}
