using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Resources;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Golden;

/// <summary>The PATCH requests of ../shared/docs/idp-clients.md §2 (Okta), each written as the doc records it.</summary>
public sealed class OktaPatchGoldenTests
{
    private static readonly IdpDialect Okta = IdpDialect.Okta;

    [Theory]
    [InlineData("""{"op":"replace","value":{"active":false}}""", false)]
    [InlineData("""{"op":"replace","value":{"active":true}}""", true)]
    public void O10_NoPathReplaceOfActive_DeactivatesAndReactivates(string operation, bool expected)
    {
        var stored = StoredUser();
        stored["active"] = !expected;

        var result = PatchUser(stored, Okta, operation);

        var expectedBody = StoredUser();
        expectedBody["active"] = expected;
        TestJson.Equal(expectedBody.ToJsonString(), result);
    }

    [Fact]
    public void O15_RenameWithOwnId_IgnoresIdAndRenames()
    {
        var operations = Ops(PatchOp($$$"""{"op":"replace","value":{"id":"{{{GroupId}}}","displayName":"new"}}"""), Okta);

        var (attributes, members) = GroupMemberPatch.Split(operations, Okta);
        var result = PatchApplier.Apply(Group, StoredGroup(), attributes, GroupId, Okta);

        Assert.Empty(members);
        Assert.Single(attributes);
        TestJson.Equal("""{ "displayName": "new", "externalId": "g-ext" }""", result);
    }

    [Fact]
    public void O15_RenameWithAnotherId_IsMutability()
    {
        TestJson.Throws(ScimType.Mutability, () => PatchGroup(StoredGroup(), Okta,
            """{"op":"replace","value":{"id":"someone-else","displayName":"new"}}"""));
    }

    [Fact]
    public void O15_RenameWithOwnIdUnderEntra_IsMutability()
    {
        TestJson.Throws(ScimType.Mutability, () => PatchGroup(StoredGroup(), IdpDialect.Entra,
            $$$"""{"op":"replace","value":{"id":"{{{GroupId}}}","displayName":"new"}}"""));
    }

    [Fact]
    public void O15_RenameWithOwnIdUnderGeneric_IgnoresId()
    {
        var result = PatchGroup(StoredGroup(), IdpDialect.Generic,
            $$$"""{"op":"replace","value":{"id":"{{{GroupId}}}","displayName":"new"}}""");

        Assert.Equal("new", (string?)result["displayName"]);
    }

    [Fact]
    public void O16_RemoveByFilterThenAddWithoutType_BecomesTwoMemberChangesInOrder()
    {
        var operations = Ops(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"u1\"]"},{"op":"add","path":"members","value":[{"value":"u2","display":"u2@x"}]}]}""",
            Okta);

        var (attributes, members) = GroupMemberPatch.Split(operations, Okta);

        Assert.Empty(attributes);
        Assert.Collection(
            members,
            change => Assert.Equal(["u1"], Assert.IsType<RemoveMembers>(change).Values),
            change => Assert.Equal([new MemberRef("u2", null, "u2@x")], Assert.IsType<AddMembers>(change).Members));
    }

    [Fact]
    public void O17_ReplaceMembers_ReplacesWholeMembership()
    {
        var (_, members) = GroupMemberPatch.Split(Ops(PatchOp(
            """{"op":"replace","path":"members","value":[{"value":"u1"},{"value":"u2"}]}"""), Okta), Okta);

        var replace = Assert.IsType<ReplaceMembers>(Assert.Single(members));
        Assert.Equal(["u1", "u2"], replace.Members.Select(m => m.Value));
    }

    [Fact]
    public void O17_EmptyGroupPush_ClearsMembership()
    {
        var (_, members) = GroupMemberPatch.Split(Ops(PatchOp(
            """{"op":"replace","path":"members","value":[]}"""), Okta), Okta);

        Assert.Empty(Assert.IsType<ReplaceMembers>(Assert.Single(members)).Members);
    }
}
