using System.Text.Json.Nodes;
using ScimBridge.Scim.Projection;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Projection;

public sealed class AttributeSelectionTests
{
    private static JsonObject FullUser() => TestJson.Object("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "u1",
          "externalId": "e1",
          "userName": "bjensen",
          "name": { "givenName": "Barbara", "familyName": "Jensen" },
          "active": true,
          "password": "never-returned",
          "emails": [ { "value": "b@work", "type": "work", "primary": true }, { "value": "b@home", "type": "home" } ],
          "groups": [ { "value": "g1", "display": "Tour Guides" } ],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Eng", "manager": { "value": "M" } },
          "meta": { "resourceType": "User", "created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-02T00:00:00Z", "version": "W/\"1\"" }
        }
        """);

    private static JsonObject FullGroup() => TestJson.Object("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Tour Guides",
          "members": [ { "value": "u1", "display": "Babs" } ], "meta": { "resourceType": "Group" }
        }
        """);

    [Fact]
    public void Apply_All_ReturnsEverythingButPassword()
    {
        var expected = FullUser();
        expected.Remove("password");

        TestJson.Equal(expected.ToJsonString(), AttributeSelection.Parse(User, null, " ").Apply(FullUser()));
        TestJson.Equal(expected.ToJsonString(), AttributeSelection.All.Apply(FullUser()));
    }

    [Fact]
    public void Apply_ExcludedMembers_DropsMembersAndIncludesReportsIt()
    {
        var selection = AttributeSelection.Parse(Group, null, "members");

        TestJson.Equal("""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Tour Guides", "meta": { "resourceType": "Group" } }
            """, selection.Apply(FullGroup()));
        Assert.False(selection.Includes("members"));
        Assert.True(selection.Includes("displayName"));
    }

    [Fact]
    public void Includes_AttributesWithoutMembers_IsFalseForMembers()
    {
        var selection = AttributeSelection.Parse(Group, "displayName", null);

        Assert.False(selection.Includes("members"));
        Assert.True(selection.Includes("id"));
        Assert.True(AttributeSelection.Parse(Group, "members.value", null).Includes("MEMBERS"));
        Assert.True(AttributeSelection.All.Includes("members"));
    }

    [Fact]
    public void Apply_UserNameAndEmails_ReturnsThoseWithIdAndSchemasInOriginalOrder()
    {
        var result = AttributeSelection.Parse(User, "userName,emails", null).Apply(FullUser());

        TestJson.Equal("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "u1", "userName": "bjensen",
              "emails": [ { "value": "b@work", "type": "work", "primary": true }, { "value": "b@home", "type": "home" } ]
            }
            """, result);
        Assert.Equal(["schemas", "id", "userName", "emails"], result.Select(p => p.Key));
    }

    [Fact]
    public void Apply_SubAttribute_ReturnsOnlyThatSubAttribute()
    {
        var result = AttributeSelection.Parse(User, "name.givenName , emails.value", null).Apply(FullUser());

        TestJson.Equal("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "u1", "name": { "givenName": "Barbara" }, "emails": [ { "value": "b@work" }, { "value": "b@home" } ]
            }
            """, result);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")]
    [InlineData("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT")]
    [InlineData("department")]
    public void Apply_UrnQualifiedExtensionAttribute_ReturnsOnlyIt(string attributes)
    {
        var result = AttributeSelection.Parse(User, attributes, null).Apply(FullUser());

        TestJson.Equal("""{ "department": "Eng" }""", result[Enterprise]);
        Assert.False(result.ContainsKey("userName"));
    }

    [Fact]
    public void Apply_WholeExtensionUrn_ReturnsTheExtension()
    {
        var result = AttributeSelection.Parse(User, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", null).Apply(FullUser());

        TestJson.Equal("""{ "department": "Eng", "manager": { "value": "M" } }""", result[Enterprise]);
        Assert.Equal(["schemas", "id", Enterprise], result.Select(p => p.Key));
    }

    [Fact]
    public void Apply_ExcludedWholeExtensionAndSubAttribute_DropsThem()
    {
        var selection = AttributeSelection.Parse(User, null, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,name.familyName,meta");

        var result = selection.Apply(FullUser());

        Assert.False(result.ContainsKey(Enterprise));
        Assert.False(result.ContainsKey("meta"));
        TestJson.Equal("""{ "givenName": "Barbara" }""", result["name"]);
        Assert.False(selection.Includes(Enterprise));
    }

    [Fact]
    public void Apply_MicrosoftValueFilterForm_IsReadAsTheAttribute()
    {
        var result = AttributeSelection.Parse(User, "emails[type eq \"work\"],userName", null).Apply(FullUser());

        Assert.Equal(2, result["emails"]!.AsArray().Count);
        Assert.Equal("bjensen", (string?)result["userName"]);
    }

    [Fact]
    public void Apply_ValueFilterWithCommaInsideQuotes_StaysOneName()
    {
        var result = AttributeSelection.Parse(User, "emails[value eq \"a,b\"].value,active", null).Apply(FullUser());

        TestJson.Equal("""[ { "value": "b@work" }, { "value": "b@home" } ]""", result["emails"]);
        Assert.True((bool)result["active"]!);
    }

    [Fact]
    public void Apply_IdSchemasAndPassword_FollowTheirReturnedCharacteristic()
    {
        var result = AttributeSelection.Parse(User, "password", "id,schemas").Apply(FullUser());

        TestJson.Equal("""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "id": "u1" }
            """, result);
        var excluded = AttributeSelection.Parse(User, null, "id,schemas,password").Apply(FullUser());
        Assert.True(excluded.ContainsKey("id"));
        Assert.True(excluded.ContainsKey("schemas"));
        Assert.False(excluded.ContainsKey("password"));
    }

    [Fact]
    public void Apply_UnknownNamesOnly_ReturnsIdAndSchemas()
    {
        var result = AttributeSelection.Parse(User, "favouriteColour,,name.nope", null).Apply(FullUser());

        Assert.Equal(["schemas", "id"], result.Select(p => p.Key));
        Assert.True(AttributeSelection.Parse(User, null, "favouriteColour").Includes("groups"));
    }

    [Fact]
    public void Apply_MetaSubAttributeAndGroups_CanBeSelected()
    {
        var result = AttributeSelection.Parse(User, "meta.lastModified,groups", null).Apply(FullUser());

        TestJson.Equal("""{ "lastModified": "2024-01-02T00:00:00Z" }""", result["meta"]);
        Assert.Single(result["groups"]!.AsArray());
    }

    [Fact]
    public void Apply_BothGiven_AttributesWins()
    {
        var result = AttributeSelection.Parse(User, "userName", "userName").Apply(FullUser());

        Assert.Equal("bjensen", (string?)result["userName"]);
    }

    [Fact]
    public void Apply_DoesNotModifyTheRepresentation()
    {
        var representation = FullUser();
        var before = representation.ToJsonString();

        var result = AttributeSelection.Parse(User, "name.givenName", null).Apply(representation);
        result["name"]!["givenName"] = "changed";

        Assert.Equal(before, representation.ToJsonString());
    }
}
