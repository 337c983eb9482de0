using System.Text.Json.Nodes;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private static readonly Dictionary<string, string> Platforms = new() { ["openai-main"] = "openai", ["anthropic"] = "anthropic", ["cursor"] = "cursor" };

    private static PolicyEvaluator Evaluator(string yaml)
    {
        var parsed = PolicyParser.Parse(yaml);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        return new PolicyEvaluator(parsed.Policy!, Platforms);
    }

    private static PolicyIdentity Identity(bool active = true, string connection = "entra-prod", string? department = null, params IdentityGroup[] groups)
    {
        var body = new JsonObject { ["userName"] = "ada@example.com" };
        if (department is not null)
        {
            body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = new JsonObject { ["department"] = department };
        }

        return new PolicyIdentity("u1", connection, "ada@example.com", active, body, groups);
    }

    private const string Policy = """
        targets:
          openai-main: {}
          anthropic: {}
          cursor: {}
        rules:
          - name: research
            match: {groups: [AI-OpenAI-Research]}
            grant: {openai-main: {orgRole: reader, containers: {research: member}}}
          - name: research-leads
            match: {groups: [AI-OpenAI-Research-Leads]}
            grant: {openai-main: {orgRole: reader, containers: {research: owner}}}
          - name: everyone
            match: {everyone: true}
            grant: {anthropic: {orgRole: user, containers: {default: workspace_user}}}
          - name: cursor
            match: {groups: [{externalId: cursor-ext}], connection: okta-prod}
            grant: {cursor: }
          - name: finance
            match: {everyone: true, attributes: {department: Finance}}
            grant: {anthropic: {orgRole: developer}}
        """;

    [Fact]
    public void The_highest_role_wins_when_rules_overlap_and_every_reason_is_kept()
    {
        var access = Evaluator(Policy).Evaluate(Identity(groups: [new("g1", "AI-OpenAI-Research", null), new("g2", "AI-OpenAI-Research-Leads", null)]));

        var openai = access["openai-main"];
        Assert.Equal("reader", openai.OrganizationRole);
        Assert.Equal("owner", openai.Containers["research"]);
        Assert.Contains(new AccessReason("research-leads", "AI-OpenAI-Research-Leads", "container research: owner"), openai.Reasons);
        Assert.Contains(new AccessReason("research", "AI-OpenAI-Research", "container research: member"), openai.Reasons);
        Assert.Equal("workspace_user", access["anthropic"].Containers["default"]);
        Assert.False(access.ContainsKey("cursor"));
    }

    [Fact]
    public void Groups_match_by_external_id_only_for_the_named_connection()
    {
        var group = new IdentityGroup("g", "Cursor seat", "cursor-ext");
        Assert.True(Evaluator(Policy).Evaluate(Identity(connection: "okta-prod", groups: [group])).ContainsKey("cursor"));
        Assert.False(Evaluator(Policy).Evaluate(Identity(connection: "entra-prod", groups: [group])).ContainsKey("cursor"));
    }

    [Fact]
    public void Attribute_conditions_read_the_enterprise_extension_and_raise_the_role()
    {
        Assert.Equal("developer", Evaluator(Policy).Evaluate(Identity(department: "finance"))["anthropic"].OrganizationRole);
        Assert.Equal("user", Evaluator(Policy).Evaluate(Identity(department: "Sales"))["anthropic"].OrganizationRole);
    }

    [Fact]
    public void A_deactivated_identity_gets_nothing()
    {
        Assert.Empty(Evaluator(Policy).Evaluate(Identity(active: false, groups: [new("g1", "AI-OpenAI-Research", null)])));
    }
}
