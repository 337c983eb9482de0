using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Tests.Resources;

public sealed class GroupMembersTests
{
    [Fact]
    public void Parse_EntraShape_ReadsValueTypeAndDisplay()
    {
        var members = GroupMembers.Parse(TestJson.Node("""[ { "value": "u1", "$ref": null, "type": "User", "display": "Babs" }, { "value": "u2" } ]"""));

        Assert.Equal([new MemberRef("u1", "User", "Babs"), new MemberRef("u2", null, null)], members);
    }

    [Theory]
    [InlineData("\"u1\"")]
    [InlineData("""{ "value": "u1" }""")]
    [InlineData("""[ "u1" ]""")]
    [InlineData("""[ { "VALUE": "u1" } ]""")]
    public void Parse_SingleObjectOrBareString_ReadsOneMember(string json)
    {
        Assert.Equal([new MemberRef("u1", null, null)], GroupMembers.Parse(TestJson.Node(json)));
    }

    [Fact]
    public void Parse_ReferenceCodeDisplayName_IsReadAsDisplay()
    {
        Assert.Equal("Babs", Assert.Single(GroupMembers.Parse(TestJson.Node("""[ { "value": "u1", "displayName": "Babs" } ]"""))).Display);
    }

    [Fact]
    public void Parse_Duplicates_KeepFirstOrdinal()
    {
        var members = GroupMembers.Parse(TestJson.Node("""[ { "value": "u1", "display": "first" }, "u1", { "value": "U1" } ]"""));

        Assert.Equal([new MemberRef("u1", null, "first"), new MemberRef("U1", null, null)], members);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"\"")]
    public void Parse_Nothing_ReturnsEmpty(string json)
    {
        Assert.Empty(GroupMembers.Parse(json == "null" ? null : TestJson.Node(json)));
    }

    [Theory]
    [InlineData("""[ { "display": "x" } ]""")]
    [InlineData("""[ { "value": "" } ]""")]
    [InlineData("""[ { "value": 12 } ]""")]
    [InlineData("""[ null ]""")]
    [InlineData("""[ [ "u1" ] ]""")]
    [InlineData("""[ "" ]""")]
    [InlineData("42")]
    public void Parse_MemberWithoutStringValue_IsInvalidValue(string json)
    {
        TestJson.Throws(ScimType.InvalidValue, () => GroupMembers.Parse(TestJson.Node(json)));
    }
}
