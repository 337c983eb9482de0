using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Tests;

/// <summary>Stored bodies and helpers shared by the PATCH tests.</summary>
internal static class Samples
{
    public const string UserId = "2819c223-7f76-453a-919d-413861904646";
    public const string GroupId = "e9e30dba-f08f-4109-8486-d5c6a331660a";
    public const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public static ResourceSchema User => SchemaRegistry.Instance.User;

    public static ResourceSchema Group => SchemaRegistry.Instance.Group;

    public static JsonObject StoredUser() => TestJson.Object("""
        {
          "userName": "bjensen@example.com",
          "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
          "name": { "givenName": "Barbara", "familyName": "Jensen" },
          "active": true,
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
          ],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": { "value": "M0" }
          }
        }
        """);

    /// <summary>A user without a work email, for Entra's upsert (E7).</summary>
    public static JsonObject StoredUserWithoutWorkEmail() => TestJson.Object("""
        { "userName": "ford@x.uk", "active": true, "emails": [ { "value": "ford@home.uk", "type": "home" } ] }
        """);

    public static JsonObject StoredGroup() => TestJson.Object("""{ "displayName": "Tour Guides", "externalId": "g-ext" }""");

    public static IReadOnlyList<PatchOperation> Ops(string body, IdpDialect? dialect = null) =>
        PatchRequest.Parse(JsonNode.Parse(body), dialect ?? IdpDialect.Generic);

    /// <summary>Wraps operations, written exactly as a client sends them, in a PatchOp message.</summary>
    public static string PatchOp(params string[] operations) =>
        $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{string.Join(",", operations)}}]}""";

    public static JsonObject PatchUser(JsonObject stored, IdpDialect dialect, params string[] operations) =>
        PatchApplier.Apply(User, stored, Ops(PatchOp(operations), dialect), UserId, dialect);

    public static JsonObject PatchGroup(JsonObject stored, IdpDialect dialect, params string[] operations)
    {
        var (attributes, members) = GroupMemberPatch.Split(Ops(PatchOp(operations), dialect), dialect);
        Assert.Empty(members);
        return PatchApplier.Apply(Group, stored, attributes, GroupId, dialect);
    }
}
