using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Where an attribute lives in the stored body: core attributes at the top, extension attributes under their
/// canonical extension URN. Keeps the "no empty objects or arrays" rule of the stored form.
/// </summary>
internal static class StoredBody
{
    public static JsonNode? Get(ResourceSchema schema, JsonObject body, AttributeDefinition attribute)
    {
        var container = Container(schema, body, attribute, create: false);
        return container is null ? null : Property(container, attribute.Name);
    }

    /// <summary>Sets an attribute's stored value; null (or an empty object/array) removes it.</summary>
    public static void Set(ResourceSchema schema, JsonObject body, AttributeDefinition attribute, JsonNode? value)
    {
        if (ValueNormalizer.IsEmpty(value))
        {
            Remove(schema, body, attribute);
            return;
        }

        var container = Container(schema, body, attribute, create: true)!;
        if (value!.Parent is not null)
        {
            if (ReferenceEquals(container[attribute.Name], value))
            {
                return;
            }

            value = value.DeepClone();
        }

        container[attribute.Name] = value;
    }

    public static void Remove(ResourceSchema schema, JsonObject body, AttributeDefinition attribute)
    {
        var container = Container(schema, body, attribute, create: false);
        if (container is null)
        {
            return;
        }

        container.Remove(attribute.Name);
        if (!ReferenceEquals(container, body) && container.Count == 0)
        {
            body.Remove(attribute.SchemaUrn);
        }
    }

    /// <summary>The display name used in error details: URN-qualified for an extension attribute.</summary>
    public static string DisplayName(ResourceSchema schema, AttributeDefinition attribute) =>
        schema.IsExtension(attribute.SchemaUrn) ? $"{attribute.SchemaUrn}:{attribute.Name}" : attribute.Name;

    public static void RequireAttributes(ResourceSchema schema, JsonObject body)
    {
        foreach (var attribute in schema.CoreAttributes)
        {
            if (attribute.Required && Get(schema, body, attribute) is null)
            {
                throw ScimException.InvalidValue($"Attribute '{attribute.Name}' is required.");
            }
        }
    }

    /// <summary>Case-insensitive property lookup; the exact spelling wins when both exist.</summary>
    public static JsonNode? Property(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static JsonObject? Container(ResourceSchema schema, JsonObject body, AttributeDefinition attribute, bool create)
    {
        if (!schema.IsExtension(attribute.SchemaUrn))
        {
            return body;
        }

        if (body[attribute.SchemaUrn] is JsonObject extension)
        {
            return extension;
        }

        if (!create)
        {
            return null;
        }

        extension = [];
        body[attribute.SchemaUrn] = extension;
        return extension;
    }
}
