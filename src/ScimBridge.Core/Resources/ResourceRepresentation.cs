using System.Globalization;
using System.Text.Json.Nodes;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>Builds the wire representation around a stored body: schemas, id, members/groups and meta.</summary>
public static class ResourceRepresentation
{
    public static string Location(string baseUrl, ScimResourceKind kind, string id) =>
        $"{baseUrl}/{(kind == ScimResourceKind.User ? "Users" : "Groups")}/{id}";

    /// <summary>
    /// The full representation. It takes the body's nodes over (moving is far cheaper than cloning on the read path),
    /// so <paramref name="record"/>'s body is empty afterwards: compose a record once, as the last use of it.
    /// </summary>
    public static JsonObject Compose(ResourceRecord record, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(record);
        var schema = SchemaRegistry.Instance.For(record.Kind);
        var schemas = new JsonArray(schema.CoreSchemaUrn);
        foreach (var urn in schema.ExtensionUrns)
        {
            if (record.Body.ContainsKey(urn))
            {
                schemas.Add(urn);
            }
        }

        var result = new JsonObject
        {
            ["schemas"] = schemas,
            ["id"] = record.Id,
        };
        var properties = record.Body.ToList();
        record.Body.Clear();
        foreach (var (key, value) in properties)
        {
            result[key] = value;
        }

        if (record.Members is { } members)
        {
            result["members"] = Relations(members, baseUrl);
        }

        if (record.Groups is { Count: > 0 } groups)
        {
            result["groups"] = Relations(groups, baseUrl, "direct");
        }

        result["meta"] = new JsonObject
        {
            ["resourceType"] = record.Kind == ScimResourceKind.User ? "User" : "Group",
            ["created"] = FormatTime(record.Created),
            ["lastModified"] = FormatTime(record.LastModified),
            ["location"] = Location(baseUrl, record.Kind, record.Id),
            ["version"] = Versioning.ToETag(record.Version),
        };
        return result;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Relations(IReadOnlyList<StoredMember> relations, string baseUrl, string? fixedType = null)
    {
        var array = new JsonArray();
        foreach (var relation in relations)
        {
            var item = new JsonObject
            {
                ["value"] = relation.Value,
                ["$ref"] = $"{baseUrl}/{(relation.Type == "Group" ? "Groups" : "Users")}/{relation.Value}",
                ["type"] = fixedType ?? relation.Type,
            };
            if (relation.Display is not null)
            {
                item["display"] = relation.Display;
            }

            array.Add(item);
        }

        return array;
    }
}
