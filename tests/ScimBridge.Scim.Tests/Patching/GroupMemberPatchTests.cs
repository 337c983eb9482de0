using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Resources;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Patching;

public sealed class GroupMemberPatchTests
{
    private static (IReadOnlyList<PatchOperation> Attributes, IReadOnlyList<MemberChange> Members) Split(
        IdpDialect dialect, params string[] operations) =>
        GroupMemberPatch.Split(Ops(PatchOp(operations), dialect), dialect);

    [Fact]
    public void Split_MixedOperations_KeepsOrderWithinEachList()
    {
        var (attributes, members) = Split(IdpDialect.Generic,
            """{"op":"replace","path":"displayName","value":"a"}""",
            """{"op":"add","path":"members","value":[{"value":"u1"}]}""",
            """{"op":"replace","path":"externalId","value":"x"}""",
            """{"op":"remove","path":"members[value eq \"u2\"]"}""");

        Assert.Equal(["displayName", "externalId"], attributes.Select(a => a.Path));
        Assert.IsType<AddMembers>(members[0]);
        Assert.IsType<RemoveMembers>(members[1]);
    }

    [Theory]
    [InlineData("Members")]
    [InlineData("MEMBERS")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:Group:members")]
    public void Split_MembersPathInAnyCaseOrUrnForm_IsAMemberChange(string path)
    {
        var (attributes, members) = Split(IdpDialect.Generic, $$"""{"op":"add","path":"{{path}}","value":"u1"}""");

        Assert.Empty(attributes);
        Assert.Equal([new MemberRef("u1", null, null)], Assert.IsType<AddMembers>(Assert.Single(members)).Members);
    }

    [Fact]
    public void Split_RemoveAllMembers_IsReplaceWithNothing()
    {
        var (_, members) = Split(IdpDialect.Generic, """{"op":"remove","path":"members"}""");

        Assert.Empty(Assert.IsType<ReplaceMembers>(Assert.Single(members)).Members);
    }

    [Fact]
    public void Split_RemoveWithValueUnderOkta_RemovesOnlyThoseMembers()
    {
        var (_, members) = Split(IdpDialect.Okta, """{"op":"remove","path":"members","value":[{"value":"u1"}]}""");

        Assert.Equal(["u1"], Assert.IsType<RemoveMembers>(Assert.Single(members)).Values);
    }

    [Fact]
    public void Split_RemoveWithEmptyValueArrayUnderEntra_ChangesNothing()
    {
        var (attributes, members) = Split(IdpDialect.Entra, """{"op":"Remove","path":"members","value":[]}""");

        Assert.Empty(attributes);
        Assert.Empty(members);
    }

    [Fact]
    public void Split_OrOfValueEqualities_IsRemoveMembersFastPath()
    {
        var (_, members) = Split(IdpDialect.Generic, """{"op":"remove","path":"members[value eq \"a\" or value eq \"b\" or VALUE eq \"a\"]"}""");

        Assert.Equal(["a", "b"], Assert.IsType<RemoveMembers>(Assert.Single(members)).Values);
    }

    [Fact]
    public void Split_OtherMemberFilter_IsRemoveMembersWhere()
    {
        var (_, members) = Split(IdpDialect.Generic, """{"op":"remove","path":"members[display eq \"Babs\"]"}""");

        var where = Assert.IsType<RemoveMembersWhere>(Assert.Single(members));
        Assert.Equal(FilterParser.Parse("display eq \"Babs\""), where.Filter);
    }

    [Fact]
    public void Split_NoPathValueWithMembersAndDisplayName_SplitsIntoBoth()
    {
        var (attributes, members) = Split(IdpDialect.Generic,
            """{"op":"replace","value":{"displayName":"x","members":[{"value":"u1"},"u2"]}}""");

        var attribute = Assert.Single(attributes);
        TestJson.Equal("""{"displayName":"x"}""", attribute.Value);
        Assert.Equal(["u1", "u2"], Assert.IsType<ReplaceMembers>(Assert.Single(members)).Members.Select(m => m.Value));
    }

    [Fact]
    public void Split_NoPathAddWithOnlyMembers_HasNoAttributeOperation()
    {
        var (attributes, members) = Split(IdpDialect.Generic, """{"op":"add","value":{"members":[{"value":"u1"}]}}""");

        Assert.Empty(attributes);
        Assert.IsType<AddMembers>(Assert.Single(members));
    }

    [Fact]
    public void Split_ReplaceMembersWithNull_Clears()
    {
        var (_, members) = Split(IdpDialect.Okta, """{"op":"replace","path":"members","value":null}""");

        Assert.Empty(Assert.IsType<ReplaceMembers>(Assert.Single(members)).Members);
    }

    [Theory]
    [InlineData("""{"op":"remove","path":"members[colour eq \"red\"]"}""")]
    [InlineData("""{"op":"add","path":"members[value eq \"u1\"]","value":{"value":"u1"}}""")]
    [InlineData("""{"op":"remove","path":"members[value eq \"u1\"].display"}""")]
    [InlineData("""{"op":"replace","path":"members.display","value":"x"}""")]
    public void Split_UnsupportedMembersPath_IsInvalidPath(string operation)
    {
        TestJson.Throws(ScimType.InvalidPath, () => Split(IdpDialect.Generic, operation));
    }

    [Fact]
    public void Split_MemberWithoutValue_IsInvalidValue()
    {
        TestJson.Throws(ScimType.InvalidValue, () => Split(IdpDialect.Generic, """{"op":"add","path":"members","value":[{"display":"x"}]}"""));
    }

    [Fact]
    public void Split_UnquotedNumericMemberValue_KeepsDigitsAsWritten()
    {
        var (_, members) = Split(IdpDialect.Generic, """{"op":"remove","path":"members[value eq 007]"}""");

        Assert.Equal(["007"], Assert.IsType<RemoveMembers>(Assert.Single(members)).Values);
    }

}
