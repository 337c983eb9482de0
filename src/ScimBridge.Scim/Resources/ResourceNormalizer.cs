using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Turns a POST or PUT body into the stored form: only client-writable data, canonical key spelling, extension
/// attributes under their extension URN, no nulls or empty values. RFC 7644 §3.5.1 says readOnly attributes in a PUT
/// are ignored; Okta's PUT carries id, meta, groups:[] and password (idp-clients.md O5, O11), and Entra's POST carries
/// meta and nulls (E3), so all of those are dropped rather than rejected. Unknown attributes are ignored too
/// (RFC 7644 §3.3 leaves the choice; ignoring is what both IdPs need when a mapping sends an unsupported attribute).
/// </summary>
public static class ResourceNormalizer
{
    public static JsonObject Normalize(ResourceSchema schema, JsonObject input, IdpDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(dialect);

        var body = new JsonObject();
        Write(schema, body, input, dialect);
        StoredBody.RequireAttributes(schema, body);
        return body;
    }

    /// <summary>Re-normalises a body that is already in stored form (the result of PATCH) without the required check.</summary>
    internal static JsonObject Restore(ResourceSchema schema, JsonObject body, IdpDialect dialect)
    {
        var result = new JsonObject();
        Write(schema, result, body, dialect);
        return result;
    }

    private static void Write(ResourceSchema schema, JsonObject body, JsonObject input, IdpDialect dialect)
    {
        foreach (var (key, value) in input)
        {
            if (schema.CanonicalExtensionUrn(key) is { } urn)
            {
                WriteExtension(schema, body, urn, value, dialect);
                continue;
            }

            if (key.Equals(schema.CoreSchemaUrn, StringComparison.OrdinalIgnoreCase) && value is JsonObject core)
            {
                Write(schema, body, core, dialect);
                continue;
            }

            if (schema.Resolve(AttributePath.Parse(key)) is { } resolved)
            {
                WriteAttribute(schema, body, resolved, value, dialect);
            }
        }
    }

    private static void WriteExtension(ResourceSchema schema, JsonObject body, string urn, JsonNode? value, IdpDialect dialect)
    {
        if (ValueNormalizer.IsEmpty(value))
        {
            return;
        }

        if (value is not JsonObject extension)
        {
            throw ScimException.InvalidValue($"'{urn}' must be an object holding the extension's attributes.");
        }

        foreach (var (key, attributeValue) in extension)
        {
            var local = AttributePath.Parse(key);
            if (local.SchemaUrn is null
                && schema.Resolve(new AttributePath(urn, local.Name, local.SubAttribute)) is { } resolved)
            {
                WriteAttribute(schema, body, resolved, attributeValue, dialect);
            }
        }
    }

    private static void WriteAttribute(ResourceSchema schema, JsonObject body, ResolvedPath resolved, JsonNode? value, IdpDialect dialect)
    {
        var attribute = resolved.Attribute;
        if (!IsStored(schema, attribute))
        {
            return;
        }

        var name = StoredBody.DisplayName(schema, attribute);
        if (resolved.Sub is not { } sub)
        {
            StoredBody.Set(schema, body, attribute, ValueNormalizer.Attribute(attribute, value, dialect, name));
            return;
        }

        // A dotted key ("name.givenName") in a body: meaningful only for a single-valued complex attribute.
        if (attribute.MultiValued || sub.Mutability == Mutability.ReadOnly)
        {
            return;
        }

        var complex = StoredBody.Get(schema, body, attribute) as JsonObject ?? [];
        var subValue = ValueNormalizer.Single(sub, value, dialect, $"{name}.{sub.Name}");
        if (subValue is null)
        {
            complex.Remove(sub.Name);
        }
        else
        {
            complex[sub.Name] = subValue;
        }

        StoredBody.Set(schema, body, attribute, complex);
    }

    /// <summary>
    /// id, meta, groups (readOnly), password (writeOnly: accepted, never stored), schemas (composed at read time)
    /// and a Group's members (kept in their own table) are never part of the stored body.
    /// </summary>
    internal static bool IsStored(ResourceSchema schema, AttributeDefinition attribute) =>
        attribute.Mutability is not (Mutability.ReadOnly or Mutability.WriteOnly)
        && !ReferenceEquals(attribute, CommonAttributes.Schemas)
        && !(schema.Kind == ScimResourceKind.Group && attribute.Name.Equals("members", StringComparison.Ordinal));
}
