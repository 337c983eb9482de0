using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Tests.Reports;

public sealed class ConnectorCoverageTests
{
    // What the OpenAI, Anthropic and Cursor (with SCIM) adapters declare (src/ScimBridge.Platforms/*Adapter.cs).
    private const PlatformCapabilities OpenAI = PlatformCapabilities.ListAccounts | PlatformCapabilities.ListContainers | PlatformCapabilities.ListGroups
        | PlatformCapabilities.ListRoles | PlatformCapabilities.ListCredentials | PlatformCapabilities.ListInvitations | PlatformCapabilities.ListActivity
        | PlatformCapabilities.InviteAccounts | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.SetAccountRoles | PlatformCapabilities.GrantMembership
        | PlatformCapabilities.RevokeMembership | PlatformCapabilities.ManageContainers | PlatformCapabilities.ManageGroups
        | PlatformCapabilities.ManageRoleAssignments | PlatformCapabilities.DeleteCredentials | PlatformCapabilities.IssueCredentials;

    private const PlatformCapabilities Anthropic = PlatformCapabilities.ListAccounts | PlatformCapabilities.ListContainers | PlatformCapabilities.ListInvitations
        | PlatformCapabilities.ListCredentials | PlatformCapabilities.InviteAccounts | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.SetAccountRoles
        | PlatformCapabilities.GrantMembership | PlatformCapabilities.RevokeMembership | PlatformCapabilities.ManageContainers
        | PlatformCapabilities.DisableCredentials | PlatformCapabilities.RenameCredentials | PlatformCapabilities.ListActivity;

    private const PlatformCapabilities Cursor = PlatformCapabilities.ListAccounts | PlatformCapabilities.ListContainers | PlatformCapabilities.ListActivity
        | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.RevokeMembership | PlatformCapabilities.InviteAccounts;

    private static Dictionary<string, string> Table(string platform, PlatformCapabilities caps, TargetMode? mode) =>
        ConnectorCoverage.For(platform, caps, mode).ToDictionary(r => r.ObjectType, r => r.Governance);

    [Fact]
    public void For_OpenAIEnforced_EnforcesWhatThePolicyManagesAndObservesTheRest()
    {
        var table = Table("openai", OpenAI, TargetMode.Enforce);

        Assert.Equal("enforced", table["org membership"]);
        Assert.Equal("enforced", table["org role"]);
        Assert.Equal("enforced", table["project membership"]);
        Assert.Equal("enforced", table["project role"]);
        Assert.Equal("enforced", table["group"]);
        Assert.Equal("enforced", table["api key"]);
        Assert.Equal("enforced", table["invitation"]);
        Assert.Equal("observed", table["custom role"]);
        Assert.Equal("observed", table["service account"]);
        Assert.Equal("observed", table["activity"]);
        Assert.False(table.ContainsKey("workspace membership"));
    }

    [Theory]
    [InlineData(TargetMode.Observe)]
    [InlineData(null)]
    public void For_ObserveOrUnmanaged_NothingIsEnforced(TargetMode? mode) =>
        Assert.DoesNotContain("enforced", Table("openai", OpenAI, mode).Values);

    [Fact]
    public void For_Anthropic_DisablesKeysAndObservesClaudeCodeUsage()
    {
        var table = Table("anthropic", Anthropic, TargetMode.Enforce);

        Assert.Equal("enforced", table["workspace membership"]);
        Assert.Equal("enforced", table["workspace role"]);
        Assert.Equal("enforced", table["api key"]);
        Assert.Equal("observed", table["activity"]);
        Assert.False(table.ContainsKey("service account"));
        Assert.False(table.ContainsKey("group"));
    }

    [Fact]
    public void For_Cursor_KeysAreInvisibleAndRolesOnlyObserved()
    {
        var table = Table("cursor", Cursor, TargetMode.Enforce);

        Assert.Equal("enforced", table["org membership"]);
        Assert.Equal("observed", table["org role"]);
        Assert.Equal("observed", table["team membership"]);
        Assert.Equal("invisible", table["api key"]);
        Assert.Equal("observed", table["activity"]);
        Assert.False(table.ContainsKey("team role"));
        Assert.False(table.ContainsKey("invitation"));
    }
}
