using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Resources;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Golden;

/// <summary>
/// The PATCH requests of ../shared/docs/idp-clients.md §2 (Microsoft Entra ID), each written as the doc records it,
/// with the stored body or the member changes they must produce.
/// </summary>
public sealed class EntraPatchGoldenTests
{
    private static readonly IdpDialect Entra = IdpDialect.Entra;

    [Fact]
    public void E7_ReplaceWorkEmailValueAndFamilyName_ReplacesBoth()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@b"}""",
            """{"op":"Replace","path":"name.familyName","value":"X"}""");

        TestJson.Equal("""
            [ { "value": "a@b", "type": "work", "primary": true }, { "value": "babs@jensen.org", "type": "home" } ]
            """, result["emails"]);
        TestJson.Equal("""{ "givenName": "Barbara", "familyName": "X" }""", result["name"]);
    }

    [Fact]
    public void E7_ReplaceWorkEmailWhenUserHasNone_CreatesWorkEmail()
    {
        var result = PatchUser(StoredUserWithoutWorkEmail(), Entra,
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@b"}""",
            """{"op":"Replace","path":"name.familyName","value":"X"}""");

        TestJson.Equal("""
            {
              "userName": "ford@x.uk", "active": true,
              "emails": [ { "value": "ford@home.uk", "type": "home" }, { "type": "work", "value": "a@b" } ],
              "name": { "familyName": "X" }
            }
            """, result);
    }

    [Theory]
    [InlineData("generic")]
    [InlineData("okta")]
    public void E7_ReplaceWorkEmailWhenUserHasNoneOutsideEntra_IsNoTarget(string kind)
    {
        var stored = StoredUserWithoutWorkEmail();
        var before = stored.ToJsonString();

        TestJson.Throws(ScimType.NoTarget, () => PatchUser(stored, IdpDialect.ForKind(kind),
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@b"}"""));
        Assert.Equal(before, stored.ToJsonString());
    }

    [Fact]
    public void E8_ReplaceUserName_SetsUserName()
    {
        var result = PatchUser(StoredUser(), Entra, """{"op":"Replace","path":"userName","value":"new@x"}""");

        Assert.Equal("new@x", (string?)result["userName"]);
    }

    [Theory]
    [InlineData("""{"op":"Replace","path":"active","value":"False"}""", false)]
    [InlineData("""{"op":"replace","path":"active","value":false}""", false)]
    [InlineData("""{"op":"Replace","path":"active","value":"True"}""", true)]
    public void E9_DisableAndReEnable_StoresBoolean(string operation, bool expected)
    {
        var stored = StoredUser();
        stored["active"] = !expected;

        var result = PatchUser(stored, Entra, operation);

        Assert.Equal(expected, (bool)result["active"]!);
    }

    [Fact]
    public void E10_AddNickName_SetsNickName()
    {
        var result = PatchUser(StoredUser(), Entra, """{"op":"Add","path":"nickName","value":"Babs"}""");

        Assert.Equal("Babs", (string?)result["nickName"]);
    }

    [Fact]
    public void E11_NoPathReplaceWithDottedAndUrnKeys_TreatsKeysAsPaths()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"replace","value":{"displayName":"B","name.givenName":"K","name.familyName":"U","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"A"}}""");

        Assert.Equal("B", (string?)result["displayName"]);
        TestJson.Equal("""{ "givenName": "K", "familyName": "U" }""", result["name"]);
        TestJson.Equal("""{ "employeeNumber": "A", "department": "Tour Operations", "manager": { "value": "M0" } }""", result[Enterprise]);
    }

    [Fact]
    public void E12_ReplaceUrnQualifiedEmployeeNumber_SetsExtensionAttribute()
    {
        var stored = StoredUser();
        stored.Remove(Enterprise);

        var result = PatchUser(stored, Entra,
            """{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"E"}""");

        TestJson.Equal("""{ "employeeNumber": "E" }""", result[Enterprise]);
    }

    [Fact]
    public void E13_AddManagerInDocumentedArrayForm_StoresComplexManager()
    {
        var result = PatchUser(StoredUserWithoutWorkEmail(), Entra,
            """{"op":"Add","path":"manager","value":[{"$ref":"…/Users/M","value":"M"}]}""");

        TestJson.Equal("""{ "manager": { "$ref": "…/Users/M", "value": "M" } }""", result[Enterprise]);
    }

    [Fact]
    public void E13_AddManagerInValidatorStringForm_StoresComplexManager()
    {
        var result = PatchUser(StoredUserWithoutWorkEmail(), Entra,
            """{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"M"}""");

        TestJson.Equal("""{ "manager": { "value": "M" } }""", result[Enterprise]);
    }

    [Fact]
    public void E13_ReplaceManagerWithString_ChangesManager()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"M2"}""");

        TestJson.Equal("""{ "value": "M2" }""", result[Enterprise]!["manager"]);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":""}}""")]
    [InlineData("""{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}""")]
    [InlineData("""{"op":"Remove","path":"manager"}""")]
    public void E13_ClearManager_RemovesManager(string operation)
    {
        var result = PatchUser(StoredUser(), Entra, operation);

        TestJson.Equal("""{ "employeeNumber": "701984", "department": "Tour Operations" }""", result[Enterprise]);
    }

    [Fact]
    public void E13_ClearOnlyManager_RemovesEmptyExtensionObject()
    {
        var stored = StoredUserWithoutWorkEmail();
        stored[Enterprise] = TestJson.Node("""{ "manager": { "value": "M" } }""");

        var result = PatchUser(stored, Entra,
            """{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}""");

        Assert.False(result.ContainsKey(Enterprise));
    }

    [Fact]
    public void E13_ManagerStringOutsideEntraOrGeneric_IsInvalidValue()
    {
        TestJson.Throws(ScimType.InvalidValue, () => PatchUser(StoredUser(), IdpDialect.Okta,
            """{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"M"}"""));
    }

    [Theory]
    [InlineData("""{"op":"Replace","path":"nickName","value":""}""")]
    [InlineData("""{"op":"Replace","path":"nickName","value":null}""")]
    [InlineData("""{"op":"Replace","path":"title","value":""}""")]
    public void E14_ReplaceOptionalAttributeWithEmptyOrNull_ClearsIt(string operation)
    {
        var stored = StoredUser();
        stored["nickName"] = "Babs";
        stored["title"] = "Tour Guide";
        var cleared = operation.Contains("nickName", StringComparison.Ordinal) ? "nickName" : "title";

        var result = PatchUser(stored, Entra, operation);

        Assert.False(result.ContainsKey(cleared));
    }

    [Fact]
    public void E14_ReplaceComplexAndMultiValuedWithNull_ClearsThem()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"Replace","path":"name","value":null}""",
            """{"op":"Replace","path":"emails","value":null}""",
            """{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":""}""");

        Assert.False(result.ContainsKey("name"));
        Assert.False(result.ContainsKey("emails"));
        Assert.False(result[Enterprise]!.AsObject().ContainsKey("department"));
    }

    [Fact]
    public void E15_AddRoleWithStringifiedJsonValue_StoresTheStringVerbatim()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"…\",\"value\":\"25\",\"displayName\":\"R\"}"}]}""");

        TestJson.Equal("""[ { "value": "{\"id\":\"…\",\"value\":\"25\",\"displayName\":\"R\"}" } ]""", result["roles"]);
    }

    [Fact]
    public void E15_AssertiveReplaceOfRoles_ReplacesAllRoles()
    {
        var stored = StoredUser();
        stored["roles"] = TestJson.Node("""[ { "value": "old" } ]""");

        var result = PatchUser(stored, Entra,
            """{"op":"replace","path":"roles","value":[{"primary":"True","display":"Reader","value":"{\"id\":\"1\",\"value\":\"25\"}","type":"WindowsAzureActiveDirectoryRole"}]}""");

        TestJson.Equal("""[ { "primary": true, "display": "Reader", "value": "{\"id\":\"1\",\"value\":\"25\"}" } ]""", result["roles"]);
    }

    [Fact]
    public void E15_AddSameRoleTwice_DoesNotDuplicate()
    {
        const string add = """{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"…\",\"value\":\"25\",\"displayName\":\"R\"}"}]}""";
        var once = PatchUser(StoredUser(), Entra, add);

        var twice = PatchUser(once, Entra, add);

        Assert.Single(twice["roles"]!.AsArray());
    }

    [Fact]
    public void E20_ReplaceGroupDisplayName_SetsDisplayName()
    {
        var result = PatchGroup(StoredGroup(), Entra, """{"op":"Replace","path":"displayName","value":"n"}""");

        TestJson.Equal("""{ "displayName": "n", "externalId": "g-ext" }""", result);
    }

    [Fact]
    public void E21_AddSeveralMembers_BecomesOneAddMembers()
    {
        var (attributes, members) = GroupMemberPatch.Split(Ops(PatchOp(
            """{"op":"Add","path":"members","value":[{"$ref":null,"value":"u1"},{"value":"u2"}]}"""), Entra), Entra);

        Assert.Empty(attributes);
        var add = Assert.IsType<AddMembers>(Assert.Single(members));
        Assert.Equal([new MemberRef("u1", null, null), new MemberRef("u2", null, null)], add.Members);
    }

    [Fact]
    public void E22_RemoveMembersWithValueWithoutFlag_RemovesOnlyThatMember()
    {
        var (attributes, members) = GroupMemberPatch.Split(Ops(PatchOp(
            """{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u1"}]}"""), Entra), Entra);

        Assert.Empty(attributes);
        Assert.Equal(["u1"], Assert.IsType<RemoveMembers>(Assert.Single(members)).Values);
    }

    [Fact]
    public void E22_RemoveMembersByFilterWithFlag_RemovesOnlyThatMember()
    {
        var (attributes, members) = GroupMemberPatch.Split(Ops(PatchOp(
            """{"op":"remove","path":"members[value eq \"u1\"]"}"""), Entra), Entra);

        Assert.Empty(attributes);
        Assert.Equal(["u1"], Assert.IsType<RemoveMembers>(Assert.Single(members)).Values);
    }

    [Fact]
    public void E22_RemoveEmailWithValue_RemovesOnlyThatEmail()
    {
        var result = PatchUser(StoredUser(), Entra,
            """{"op":"Remove","path":"emails","value":[{"value":"BABS@jensen.org"}]}""");

        TestJson.Equal("""[ { "value": "bjensen@example.com", "type": "work", "primary": true } ]""", result["emails"]);
    }
}
