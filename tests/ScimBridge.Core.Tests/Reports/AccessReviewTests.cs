using System.Text.Json.Nodes;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Tests.Reports;

public sealed class AccessReviewTests
{
    private static readonly PlatformTarget OpenAI = new("openai", "openai");

    private const string Policy = """
        targets:
          openai: {mode: enforce}
        rules:
          - name: research
            match: {groups: [AI-Research]}
            grant: {openai: {orgRole: reader, containers: {research: member}}}
          - name: leads
            match: {groups: [AI-Leads]}
            grant: {openai: {orgRole: reader, containers: {research: owner}}}
        """;

    private static List<(SourcedIdentity, IReadOnlyDictionary<string, DesiredAccess>)> People(params (string Email, bool Active, string[] Groups)[] people)
    {
        var parsed = PolicyParser.Parse(Policy);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        var evaluator = new PolicyEvaluator(parsed.Policy!, new Dictionary<string, string> { ["openai"] = "openai" });
        return [.. people.Select(p =>
        {
            var identity = new PolicyIdentity(p.Email, "entra", p.Email, p.Active, new JsonObject(), [.. p.Groups.Select(g => new IdentityGroup(g, g, null))]);
            return (new SourcedIdentity(Guid.Empty, identity, [p.Email]), evaluator.Evaluate(identity));
        })];
    }

    private static TargetSnapshot Snapshot(PlatformAccount[] accounts, ContainerMember[] members, PlatformInvitation[]? invitations = null)
    {
        var research = new PlatformContainer("proj_r", "research", ContainerKind.Project, false, null);
        var other = new PlatformContainer("proj_o", "other", ContainerKind.Project, false, null);
        return new TargetSnapshot(
            "openai", PlatformCapabilities.ListAccounts, accounts, invitations ?? [], [research, other],
            new Dictionary<string, IReadOnlyList<ContainerMember>>
            {
                ["proj_r"] = [.. members.Where(m => m.ContainerId == "proj_r")],
                ["proj_o"] = [.. members.Where(m => m.ContainerId == "proj_o")],
            },
            [], new Dictionary<string, IReadOnlyList<GroupMember>>(), []);
    }

    private static PlatformAccount Account(string id, string email, string role) => new(id, email, null, role, AccountStatus.Active, null);

    [Fact]
    public void Rows_GrantedAccess_NamesEveryRuleAndGroupThatGivesIt()
    {
        var people = People(("ada@contoso.com", true, ["AI-Research", "AI-Leads"]));
        var snapshot = Snapshot([Account("u-ada", "ada@contoso.com", "reader")], [new("proj_r", "u-ada", null, null, "owner")]);

        var rows = AccessReview.Rows(OpenAI, snapshot, people).ToList();

        var project = rows.Single(r => r.Object == "project:research");
        Assert.Equal(("ada@contoso.com", "owner", "granted", "owner"), (project.Identity, project.Role, project.Actual, project.ActualRole));
        Assert.Equal(["research", "leads"], project.Rules);
        Assert.Equal(["AI-Research", "AI-Leads"], project.Groups);
        Assert.Equal("granted", rows.Single(r => r.Object == "org").Actual);
    }

    [Fact]
    public void Rows_NoAccountYet_IsMissingOrPendingWhileInvited()
    {
        var people = People(("bob@contoso.com", true, ["AI-Research"]), ("cy@contoso.com", true, ["AI-Research"]));
        var invite = new PlatformInvitation("inv-1", "cy@contoso.com", "reader", InvitationStatus.Pending, null, null, []);

        var rows = AccessReview.Rows(OpenAI, Snapshot([], [], [invite]), people).ToList();

        Assert.All(rows.Where(r => r.Identity == "bob@contoso.com"), r => Assert.Equal("missing", r.Actual));
        Assert.All(rows.Where(r => r.Identity == "cy@contoso.com"), r => Assert.Equal("pending", r.Actual));
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public void Rows_AccessNoRuleGrants_IsExtraWithTheHeldRole()
    {
        var people = People(("ada@contoso.com", true, ["AI-Research"]), ("leaver@contoso.com", false, ["AI-Research"]));
        var snapshot = Snapshot(
            [Account("u-ada", "ada@contoso.com", "reader"), Account("u-leaver", "leaver@contoso.com", "reader"), Account("u-x", "x@gmail.com", "owner")],
            [new("proj_r", "u-ada", null, null, "member"), new("proj_o", "u-ada", null, null, "owner"), new("proj_r", "u-leaver", null, null, "member")]);

        var extra = AccessReview.Rows(OpenAI, snapshot, people).Where(r => r.Actual == "extra").Select(r => $"{r.Identity ?? r.Email} {r.Object} {r.Role}").ToList();

        Assert.Equal(
            ["ada@contoso.com project:other owner", "leaver@contoso.com org reader", "leaver@contoso.com project:research member", "x@gmail.com org owner"],
            extra.Order(StringComparer.Ordinal));
    }
}
