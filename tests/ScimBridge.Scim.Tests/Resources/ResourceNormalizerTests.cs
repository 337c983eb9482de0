using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Resources;

public sealed class ResourceNormalizerTests
{
    private static JsonObject NormalizeUser(string json, IdpDialect? dialect = null) =>
        ResourceNormalizer.Normalize(User, TestJson.Object(json), dialect ?? IdpDialect.Generic);

    [Fact]
    public void Normalize_EntraE3Body_DropsMetaNullsAndEmptyRoles()
    {
        var body = NormalizeUser("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
              "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
              "active": true,
              "addresses": null,
              "displayName": "Test User",
              "emails": [ { "primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com" } ],
              "meta": { "resourceType": "User" },
              "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
              "roles": [],
              "manager": null
            }
            """, IdpDialect.Entra);

        TestJson.Equal("""
            {
              "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
              "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
              "active": true,
              "displayName": "Test User",
              "emails": [ { "primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com" } ],
              "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" }
            }
            """, body);
    }

    [Fact]
    public void Normalize_OktaO5AndO11Body_DropsPasswordGroupsIdAndMeta()
    {
        var body = NormalizeUser("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
              "userName": "test.user@okta.local",
              "name": { "givenName": "Test", "familyName": "User" },
              "emails": [ { "primary": true, "value": "test.user@okta.local", "type": "work" } ],
              "displayName": "Test User",
              "locale": "en-US",
              "externalId": "00ujl29u0le5T6Aj10h7",
              "groups": [],
              "password": "1mz050nq",
              "active": false,
              "meta": { "resourceType": "User", "created": "2024-01-01T00:00:00Z" }
            }
            """, IdpDialect.Okta);

        TestJson.Equal("""
            {
              "userName": "test.user@okta.local",
              "name": { "givenName": "Test", "familyName": "User" },
              "emails": [ { "primary": true, "value": "test.user@okta.local", "type": "work" } ],
              "displayName": "Test User",
              "locale": "en-US",
              "externalId": "00ujl29u0le5T6Aj10h7",
              "active": false
            }
            """, body);
    }

    [Fact]
    public void Normalize_E15RolesWithStringPrimary_StoresBooleanAndVerbatimValue()
    {
        var body = NormalizeUser("""
            { "userName": "u", "roles": [ { "primary": "True", "display": "Admin", "value": "{\"id\":\"1\"}", "type": "WindowsAzureActiveDirectoryRole" } ] }
            """, IdpDialect.Entra);

        TestJson.Equal("""[ { "primary": true, "display": "Admin", "value": "{\"id\":\"1\"}" } ]""", body["roles"]);
    }

    [Theory]
    [InlineData("\"M\"")]
    [InlineData("""{ "value": "M" }""")]
    [InlineData("""[ { "value": "M" } ]""")]
    [InlineData("""{ "value": "M", "displayName": "Boss" }""")]
    public void Normalize_ManagerForms_StoreComplexManager(string manager)
    {
        var body = NormalizeUser($$"""{ "userName": "u", "{{Enterprise}}": { "manager": {{manager}} } }""", IdpDialect.Entra);

        TestJson.Equal("""{ "manager": { "value": "M" } }""", body[Enterprise]);
    }

    [Fact]
    public void Normalize_TopLevelManagerString_StoresUnderExtension()
    {
        // directory-scimple#1242: POST with "manager":"M" at the top level.
        var body = NormalizeUser("""{ "userName": "u", "manager": "M" }""", IdpDialect.Entra);

        TestJson.Equal("""{ "manager": { "value": "M" } }""", body[Enterprise]);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("""{ "value": "" }""")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Normalize_EmptyManagerForms_StoreNoManager(string manager)
    {
        var body = NormalizeUser($$"""{ "userName": "u", "{{Enterprise}}": { "manager": {{manager}} } }""", IdpDialect.Entra);

        Assert.False(body.ContainsKey(Enterprise));
    }

    [Fact]
    public void Normalize_ManagerStringUnderOkta_IsInvalidValue()
    {
        var exception = TestJson.Throws(ScimType.InvalidValue, () => NormalizeUser(
            $$"""{ "userName": "u", "{{Enterprise}}": { "manager": "M" } }""", IdpDialect.Okta));

        Assert.Contains("manager", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_UnknownAttributesAndSchemas_AreDropped()
    {
        var body = NormalizeUser("""
            {
              "userName": "u", "favouriteColour": "red", "name": { "givenName": "a", "nick": "b" },
              "emails": [ { "value": "a@b", "label": "x" } ],
              "urn:example:custom:2.0:User": { "x": 1 },
              "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User": {}
            }
            """);

        TestJson.Equal("""{ "userName": "u", "name": { "givenName": "a" }, "emails": [ { "value": "a@b" } ] }""", body);
    }

    [Fact]
    public void Normalize_KeysInAnyCase_StoreCanonicalSpelling()
    {
        var body = NormalizeUser("""
            {
              "USERNAME": "u", "Name": { "GivenName": "a" }, "EMAILS": [ { "Value": "a@b", "Primary": "false" } ],
              "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": { "Department": "Eng" }
            }
            """);

        TestJson.Equal("""
            {
              "userName": "u", "name": { "givenName": "a" }, "emails": [ { "value": "a@b", "primary": false } ],
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Eng" }
            }
            """, body);
    }

    [Fact]
    public void Normalize_DottedAndUrnQualifiedKeys_AreReadAsPaths()
    {
        var body = NormalizeUser("""
            { "userName": "u", "name.givenName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "7" }
            """);

        TestJson.Equal("""{ "userName": "u", "name": { "givenName": "a" }, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "employeeNumber": "7" } }""", body);
    }

    [Fact]
    public void Normalize_NumberForStringAttribute_KeepsItsDigitsAsString()
    {
        var body = NormalizeUser($$"""{ "userName": "u", "externalId": 12, "{{Enterprise}}": { "employeeNumber": 701984 } }""");

        Assert.Equal("12", (string?)body["externalId"]);
        Assert.Equal("701984", (string?)body[Enterprise]!["employeeNumber"]);
    }

    [Fact]
    public void Normalize_SingleObjectForMultiValued_IsStoredAsArray()
    {
        var body = NormalizeUser("""{ "userName": "u", "emails": { "value": "a@b" } }""");

        TestJson.Equal("""[ { "value": "a@b" } ]""", body["emails"]);
    }

    [Fact]
    public void Normalize_DuplicateElements_StoredOnce()
    {
        var body = NormalizeUser("""{ "userName": "u", "emails": [ { "value": "a@b" }, { "value": "a@b" }, null, {} ] }""");

        TestJson.Equal("""[ { "value": "a@b" } ]""", body["emails"]);
    }

    [Theory]
    [InlineData("""{ "userName": "u", "active": "maybe" }""", "active")]
    [InlineData("""{ "userName": "u", "active": 1 }""", "active")]
    [InlineData("""{ "userName": { "value": "u" } }""", "userName")]
    [InlineData("""{ "userName": "u", "displayName": ["a"] }""", "displayName")]
    [InlineData("""{ "userName": "u", "title": true }""", "title")]
    [InlineData("""{ "userName": "u", "name": "Barbara Jensen" }""", "name")]
    [InlineData("""{ "userName": "u", "emails": [ "a@b" ] }""", "emails")]
    [InlineData("""{ "userName": "u", "emails": [ { "value": { "a": 1 } } ] }""", "emails.value")]
    [InlineData("""{ "userName": "u", "emails": [ { "primary": "yes" } ] }""", "emails.primary")]
    [InlineData("""{ "userName": "u", "x509Certificates": [ { "value": "not base64!" } ] }""", "x509Certificates.value")]
    [InlineData("""{ "userName": "u", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "Eng" }""", "enterprise")]
    public void Normalize_WrongType_IsInvalidValueNamingTheAttribute(string json, string attribute)
    {
        var exception = TestJson.Throws(ScimType.InvalidValue, () => NormalizeUser(json));

        Assert.Contains(attribute, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z", true)]
    [InlineData("2024-01-01T10:20:30.123+02:00", true)]
    [InlineData("2024-01-01T00:00:00", true)]
    [InlineData("01/02/2024", false)]
    [InlineData("2024-13-01T00:00:00Z", false)]
    [InlineData("yesterday", false)]
    public void Normalize_DateTimeAttribute_AcceptsOnlyIsoDateTimes(string value, bool valid)
    {
        var attribute = new AttributeDefinition { Name = "hired", Type = AttributeType.DateTime, SchemaUrn = "urn:test" };

        void Act() => ValueNormalizer.Attribute(attribute, JsonValue.Create(value), IdpDialect.Generic, "hired");

        if (valid)
        {
            Act();
        }
        else
        {
            Assert.Contains("hired", TestJson.Throws(ScimType.InvalidValue, Act).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Normalize_MissingUserName_IsInvalidValue()
    {
        TestJson.Throws(ScimType.InvalidValue, () => NormalizeUser("""{ "userName": "", "active": true }"""));
    }

    [Fact]
    public void Normalize_GroupBody_DropsMembersAndUnknownSchemaUri()
    {
        // E17: Entra's group POST names a Microsoft schema URI; O13 sends members:[].
        var body = ResourceNormalizer.Normalize(Group, TestJson.Object("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
              "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "Group1DisplayName",
              "meta": { "resourceType": "Group" }, "members": [ { "value": "u1" } ]
            }
            """), IdpDialect.Entra);

        TestJson.Equal("""{ "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "Group1DisplayName" }""", body);
    }

    [Fact]
    public void Normalize_InputIsNotModified()
    {
        var input = TestJson.Object("""{ "userName": "u", "meta": {}, "emails": [ { "value": "a@b" } ] }""");
        var before = input.ToJsonString();

        var body = ResourceNormalizer.Normalize(User, input, IdpDialect.Generic);
        body["emails"]!.AsArray().Add(new JsonObject { ["value"] = "c@d" });

        Assert.Equal(before, input.ToJsonString());
    }
}
