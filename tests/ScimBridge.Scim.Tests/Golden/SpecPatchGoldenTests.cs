using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Golden;

/// <summary>
/// The PATCH corners of ../shared/docs/idp-clients.md §4 (RFC 7644 §3.5.2) that implementations usually get wrong.
/// </summary>
public sealed class SpecPatchGoldenTests
{
    private static readonly IdpDialect Generic = IdpDialect.Generic;

    [Fact]
    public void Apply_OperationsOnSameAttribute_RunInOrder()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"add","path":"nickName","value":"first"}""",
            """{"op":"replace","path":"nickName","value":"second"}""",
            """{"op":"remove","path":"title"}""");

        Assert.Equal("second", (string?)result["nickName"]);
    }

    [Fact]
    public void Apply_LaterOperationFails_ThrowsAndLeavesInputUnchanged()
    {
        var stored = StoredUser();
        var before = stored.ToJsonString();

        TestJson.Throws(ScimType.NoTarget, () => PatchUser(stored, Generic,
            """{"op":"replace","path":"userName","value":"changed@x"}""",
            """{"op":"remove","path":"emails"}""",
            """{"op":"replace","path":"emails[type eq \"pager\"].value","value":"x"}"""));

        Assert.Equal(before, stored.ToJsonString());
    }

    [Fact]
    public void Parse_RemoveWithoutPath_IsNoTarget()
    {
        TestJson.Throws(ScimType.NoTarget, () => Ops(PatchOp("""{"op":"remove"}""")));
    }

    [Fact]
    public void Apply_ReplaceValuePathWithoutMatch_IsNoTarget()
    {
        TestJson.Throws(ScimType.NoTarget, () => PatchUser(StoredUser(), Generic,
            """{"op":"replace","path":"emails[type eq \"other\"].value","value":"x@y"}"""));
    }

    [Fact]
    public void Apply_RemoveValuePathWithoutMatch_SucceedsWithoutChange()
    {
        var result = PatchUser(StoredUser(), Generic, """{"op":"remove","path":"emails[type eq \"other\"]"}""");

        TestJson.Equal(StoredUser().ToJsonString(), result);
    }

    [Fact]
    public void Apply_AddExistingAndNewEmails_MergesWithoutDuplicates()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"add","path":"emails","value":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"b@other.org","type":"other"}]}""");

        TestJson.Equal("""
            [
              { "value": "bjensen@example.com", "type": "work", "primary": true },
              { "value": "babs@jensen.org", "type": "home" },
              { "value": "b@other.org", "type": "other" }
            ]
            """, result["emails"]);
    }

    [Fact]
    public void Apply_AddNewPrimaryEmail_ClearsPrimaryOnTheOthers()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"add","path":"emails","value":[{"value":"new@x","type":"other","primary":"True"}]}""");

        TestJson.Equal("""
            [
              { "value": "bjensen@example.com", "type": "work", "primary": false },
              { "value": "babs@jensen.org", "type": "home" },
              { "value": "new@x", "type": "other", "primary": true }
            ]
            """, result["emails"]);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"emails","value":[]}""")]
    [InlineData("""{"op":"replace","path":"emails","value":""}""")]
    [InlineData("""{"op":"replace","path":"emails","value":null}""")]
    [InlineData("""{"op":"remove","path":"emails"}""")]
    public void Apply_ReplaceWithEmptyOrRemove_ClearsAttribute(string operation)
    {
        var result = PatchUser(StoredUser(), Generic, operation);

        Assert.False(result.ContainsKey("emails"));
    }

    [Fact]
    public void Apply_ReplaceWholeMultiValuedAttribute_ReplacesAllValues()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"replace","path":"emails","value":[{"value":"only@x","type":"work"}]}""");

        TestJson.Equal("""[ { "value": "only@x", "type": "work" } ]""", result["emails"]);
    }

    [Fact]
    public void Apply_ReplaceComplexWithSomeSubAttributes_LeavesTheOthers()
    {
        var result = PatchUser(StoredUser(), Generic, """{"op":"replace","path":"name","value":{"givenName":"Babs"}}""");

        TestJson.Equal("""{ "givenName": "Babs", "familyName": "Jensen" }""", result["name"]);
    }

    [Fact]
    public void Apply_ValuePathWithAndFilter_ChangesOnlyTheMatch()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"replace","path":"emails[type eq \"work\" and value ew \"@EXAMPLE.com\"].display","value":"Work"}""");

        TestJson.Equal("""
            [
              { "value": "bjensen@example.com", "type": "work", "primary": true, "display": "Work" },
              { "value": "babs@jensen.org", "type": "home" }
            ]
            """, result["emails"]);
    }

    [Fact]
    public void Apply_RemoveValuePath_RemovesMatchingElements()
    {
        var result = PatchUser(StoredUser(), Generic, """{"op":"remove","path":"emails[type eq \"home\"]"}""");

        TestJson.Equal("""[ { "value": "bjensen@example.com", "type": "work", "primary": true } ]""", result["emails"]);
    }

    [Fact]
    public void Apply_RemoveSubAttributeOfValuePath_RemovesOnlyThatSubAttribute()
    {
        var result = PatchUser(StoredUser(), Generic, """{"op":"remove","path":"emails[type eq \"work\"].primary"}""");

        TestJson.Equal("""
            [ { "value": "bjensen@example.com", "type": "work" }, { "value": "babs@jensen.org", "type": "home" } ]
            """, result["emails"]);
    }

    [Fact]
    public void Apply_ReplaceValuePathElement_KeepsTheFilterEqTerms()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"new@home.org"}}""");

        TestJson.Equal("""
            [ { "value": "bjensen@example.com", "type": "work", "primary": true }, { "type": "home", "value": "new@home.org" } ]
            """, result["emails"]);
    }

    [Fact]
    public void Apply_AddThroughValuePathWithoutMatch_CreatesTheElement()
    {
        var result = PatchUser(StoredUserWithoutWorkEmail(), Generic,
            """{"op":"add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}""");

        TestJson.Equal("""[ { "type": "mobile", "value": "+1 555 0100" } ]""", result["phoneNumbers"]);
    }

    [Fact]
    public void Apply_UpsertWithFilterThatDescribesNothing_IsNoTarget()
    {
        TestJson.Throws(ScimType.NoTarget, () => PatchUser(StoredUserWithoutWorkEmail(), IdpDialect.Entra,
            """{"op":"replace","path":"emails[value ew \"@work.com\"].display","value":"x"}"""));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Eng"}""")]
    [InlineData("""{"op":"replace","path":"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department","value":"Eng"}""")]
    [InlineData("""{"op":"replace","path":"department","value":"Eng"}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"Eng"}}""")]
    [InlineData("""{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Eng"}}}""")]
    [InlineData("""{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Eng"}}""")]
    public void Apply_ExtensionAttributeInAnyPathForm_SetsCanonicalKey(string operation)
    {
        var result = PatchUser(StoredUser(), Generic, operation);

        TestJson.Equal("""{ "employeeNumber": "701984", "department": "Eng", "manager": { "value": "M0" } }""", result[Enterprise]);
    }

    [Fact]
    public void Apply_CoreUrnQualifiedPath_SetsCoreAttribute()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName","value":"K"}""");

        Assert.Equal("K", (string?)result["name"]!["givenName"]);
    }

    [Fact]
    public void Apply_RemoveWholeExtension_RemovesExtensionObject()
    {
        var result = PatchUser(StoredUser(), Generic,
            """{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}""");

        Assert.False(result.ContainsKey(Enterprise));
    }

    [Fact]
    public void Apply_SubAttributeOfManagerThroughUrnPath_SetsIt()
    {
        var result = PatchUser(StoredUser(), IdpDialect.Okta,
            """{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"M9"}""");

        TestJson.Equal("""{ "value": "M9" }""", result[Enterprise]!["manager"]);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"id","value":"other"}""")]
    [InlineData("""{"op":"replace","path":"meta.created","value":"2024-01-01T00:00:00Z"}""")]
    [InlineData("""{"op":"replace","path":"meta","value":{"resourceType":"User"}}""")]
    [InlineData("""{"op":"add","path":"groups","value":[{"value":"g1"}]}""")]
    [InlineData("""{"op":"replace","value":{"meta":{"resourceType":"User"}}}""")]
    [InlineData("""{"op":"replace","value":{"groups":[]}}""")]
    [InlineData("""{"op":"remove","path":"id"}""")]
    [InlineData("""{"op":"replace","path":"manager.displayName","value":"Boss"}""")]
    public void Apply_WriteToReadOnlyAttribute_IsMutability(string operation)
    {
        TestJson.Throws(ScimType.Mutability, () => PatchUser(StoredUser(), Generic, operation));
    }

    [Fact]
    public void Apply_OwnIdUnderGeneric_IsIgnored()
    {
        var result = PatchUser(StoredUser(), Generic, $$"""{"op":"replace","path":"id","value":"{{UserId}}"}""");

        TestJson.Equal(StoredUser().ToJsonString(), result);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"schemas","value":["urn:x"]}""")]
    [InlineData("""{"op":"replace","value":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}}""")]
    [InlineData("""{"op":"replace","path":"password","value":"hunter2"}""")]
    [InlineData("""{"op":"replace","value":{"password":"hunter2","unknownThing":1,"name.nope":"x"}}""")]
    public void Apply_SchemasPasswordAndUnknownKeys_ChangeNothing(string operation)
    {
        var result = PatchUser(StoredUser(), Generic, operation);

        TestJson.Equal(StoredUser().ToJsonString(), result);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"favouriteColour","value":"red"}""")]
    [InlineData("""{"op":"replace","path":"name.nickname","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"emails[colour eq \"red\"].value","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"emails[type eq \"work\"].colour","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"name[givenName eq \"x\"]","value":{}}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:colour","value":"x"}""")]
    public void Apply_UnknownPath_IsInvalidPath(string operation)
    {
        TestJson.Throws(ScimType.InvalidPath, () => PatchUser(StoredUser(), Generic, operation));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"active","value":"maybe"}""")]
    [InlineData("""{"op":"replace","path":"userName","value":{"a":1}}""")]
    [InlineData("""{"op":"replace","path":"name","value":"Barbara"}""")]
    [InlineData("""{"op":"replace","path":"emails","value":["a@b"]}""")]
    [InlineData("""{"op":"replace","value":"not an object"}""")]
    [InlineData("""{"op":"replace","path":"userName","value":null}""")]
    [InlineData("""{"op":"remove","path":"userName"}""")]
    public void Apply_WrongValueOrRemovingRequired_IsInvalidValue(string operation)
    {
        TestJson.Throws(ScimType.InvalidValue, () => PatchUser(StoredUser(), Generic, operation));
    }

    [Fact]
    public void Apply_AttributeNamesInAnyCase_StoreCanonicalKeys()
    {
        var result = PatchUser(StoredUserWithoutWorkEmail(), Generic,
            """{"OP":"Add","PATH":"NAME.GIVENNAME","VALUE":"K"}""",
            """{"op":"add","path":"PhoneNumbers","value":[{"Value":"+1","TYPE":"work","Primary":"true"}]}""",
            """{"op":"add","value":{"DisplayName":"Ford","TITLE":"Writer"}}""");

        TestJson.Equal("""
            {
              "userName": "ford@x.uk", "active": true, "emails": [ { "value": "ford@home.uk", "type": "home" } ],
              "name": { "givenName": "K" },
              "phoneNumbers": [ { "value": "+1", "type": "work", "primary": true } ],
              "displayName": "Ford", "title": "Writer"
            }
            """, result);
    }

    [Fact]
    public void Apply_EmptyOperations_ReturnsEqualBody()
    {
        var result = PatchApplier.Apply(User, StoredUser(), Ops("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}"""), UserId, Generic);

        TestJson.Equal(StoredUser().ToJsonString(), result);
    }

    [Fact]
    public void Apply_MembersOperationOnGroup_IsInvalidPath()
    {
        TestJson.Throws(ScimType.InvalidPath, () => PatchApplier.Apply(
            Group, StoredGroup(), Ops(PatchOp("""{"op":"add","path":"members","value":[{"value":"u1"}]}""")), GroupId, Generic));
        TestJson.Throws(ScimType.InvalidPath, () => PatchApplier.Apply(
            Group, StoredGroup(), Ops(PatchOp("""{"op":"replace","value":{"members":[]}}""")), GroupId, Generic));
    }

    [Fact]
    public void Apply_SubAttributeWithoutFilterOnMultiValued_AppliesToEveryElement()
    {
        var result = PatchUser(StoredUser(), Generic, """{"op":"remove","path":"emails.type"}""");

        TestJson.Equal("""
            [ { "value": "bjensen@example.com", "primary": true }, { "value": "babs@jensen.org" } ]
            """, result["emails"]);
    }
}
