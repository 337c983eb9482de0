using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>A group member as a client referred to it: the member's id, and optionally its type and display.</summary>
public sealed record MemberRef(string Value, string? Type, string? Display);

/// <summary>Reads the "members" value of a Group body or of a members PATCH operation.</summary>
public static class GroupMembers
{
    /// <summary>
    /// Accepts every shape clients really send: <c>[{"value":"u1","$ref":null,"type":"User","display":"…"}]</c>
    /// (Entra E21, Okta O16), <c>[{"value":"u1"}]</c>, a single object, and a bare string <c>"u1"</c>
    /// (AzureAD/SCIMReferenceCode#24). The reference code's <c>displayName</c> instead of <c>display</c>
    /// (SCIMReferenceCode#20) is read as display. Duplicates collapse to their first occurrence.
    /// </summary>
    public static IReadOnlyList<MemberRef> Parse(JsonNode? members)
    {
        if (ValueNormalizer.IsEmpty(members))
        {
            return [];
        }

        // Not `[members]`: beside a JsonArray that collection expression becomes a JsonArray and re-parents the node.
        IEnumerable<JsonNode?> items = members is JsonArray array ? array : new[] { members };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MemberRef>();
        foreach (var item in items)
        {
            var member = ParseOne(item);
            if (seen.Add(member.Value))
            {
                result.Add(member);
            }
        }

        return result;
    }

    private static MemberRef ParseOne(JsonNode? item)
    {
        if (ValueNormalizer.TryGetString(item, out var bare))
        {
            return bare.Length > 0 ? new MemberRef(bare, null, null)
                : throw ScimException.InvalidValue("A member 'value' must be a non-empty string.");
        }

        if (item is not JsonObject member)
        {
            throw ScimException.InvalidValue("Each member must be an object with a 'value', or a member id string.");
        }

        if (!ValueNormalizer.TryGetString(StoredBody.Property(member, "value"), out var value) || value.Length == 0)
        {
            throw ScimException.InvalidValue("Each member needs a 'value' holding the member's id as a non-empty string.");
        }

        return new MemberRef(value, OptionalString(member, "type"), OptionalString(member, "display") ?? OptionalString(member, "displayName"));
    }

    private static string? OptionalString(JsonObject member, string name) =>
        ValueNormalizer.TryGetString(StoredBody.Property(member, name), out var text) && text.Length > 0 ? text : null;
}
