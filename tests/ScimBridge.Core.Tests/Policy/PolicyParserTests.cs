using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Tests.Policy;

public sealed class PolicyParserTests
{
    private const string Sample = """
        version: 1
        targets:
          openai-main:
            mode: enforce
            unmanagedAccess: remove
            maxRemovalShare: 0.1
            containers: [research]
          anthropic:
          cursor: {}
        rules:
          - name: openai-research
            match:
              connection: entra-prod
              groups: ["AI-OpenAI-Research", {externalId: "8d1f-ext"}]
              attributes: {department: Research}
            grant:
              openai-main:
                orgRole: reader
                containers: {research: member}
                groups: [researchers]
          - name: everyone
            match: {everyone: true}
            grant:
              anthropic: {orgRole: user, containers: {default: workspace_user}}
          - name: cursor
            match: {groups: [Cursor-Users]}
            grant:
              cursor:
        """;

    [Fact]
    public void Reads_targets_rules_matches_and_grants()
    {
        var result = PolicyParser.Parse(Sample);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var policy = result.Policy!;
        var openai = policy.Targets["openai-main"];
        Assert.Equal((TargetMode.Enforce, UnmanagedAccess.Remove, 0.1), (openai.Mode, openai.Unmanaged, openai.MaxRemovalShare));
        Assert.Equal(["research"], openai.Containers);
        Assert.Equal((TargetMode.Observe, UnmanagedAccess.Report), (policy.Targets["anthropic"].Mode, policy.Targets["anthropic"].Unmanaged));
        Assert.Equal(TargetMode.Observe, policy.Targets["cursor"].Mode);

        var research = policy.Rules[0];
        Assert.Equal("entra-prod", research.Match.Connection);
        Assert.Equal([new GroupSelector("AI-OpenAI-Research", null), new GroupSelector(null, "8d1f-ext")], research.Match.Groups);
        Assert.Equal("Research", research.Match.Attributes["department"]);
        var grant = Assert.Single(research.Grants);
        Assert.Equal(("openai-main", "reader", "member", "researchers"), (grant.Target, grant.OrganizationRole, grant.Containers["research"], grant.Groups.Single()));
        Assert.True(policy.Rules[1].Match.Everyone);
        Assert.Equal("cursor", Assert.Single(policy.Rules[2].Grants).Target);
    }

    [Theory]
    [InlineData("targets:\n  a:\n    mode: enforced\nrules: []\n", 3, "mode must be one of observe, enforce, not 'enforced'")]
    [InlineData("targets:\n  a: {}\nrules:\n  - name: r\n    match: {groups: [g]}\n    grant:\n      b: {}\n", 7, "grants on 'b', which is not under 'targets' (a)")]
    [InlineData("targets:\n  a: {}\nrules:\n  - name: r\n    match: {}\n    grant: {a: {}}\n", 5, "rule 'r' matches nobody")]
    [InlineData("targets:\n  a:\n    maxRemovalShare: 2\nrules: []\n", 3, "maxRemovalShare must be a number greater than 0 and at most 1")]
    [InlineData("targets:\n  a: {}\nrules:\n  - name: r\n    match: {groups: [g]}\n    grant: {a: {orgrole: x}}\n", 6, "unknown key 'orgrole' in grant on 'a'; expected orgRole, containers, groups")]
    [InlineData("targets:\n  a: {}\nrules:\n  - name: r\n    match: {groups: [g]}\n    grant: {a: {}}\n  - name: r\n    match: {groups: [g]}\n    grant: {a: {}}\n", 7, "rule name 'r' is used twice")]
    [InlineData("targets: [\n", 2, "not valid YAML")]
    [InlineData("version: 2\ntargets: {}\nrules: []\n", 1, "version 2 is not supported")]
    public void Reports_each_problem_with_its_line(string yaml, int line, string message)
    {
        var result = PolicyParser.Parse(yaml);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Line == line && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var result = PolicyParser.Parse("targets:\n  a:\n    mode: x\n    unmanagedAccess: y\nrules:\n  - match: {groups: [g]}\n    grant: {a: {}}\n");

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal([3, 4, 6], result.Errors.Select(e => e.Line).Order());
    }
}
