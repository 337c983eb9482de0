using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Turns one client value into its stored form for one attribute definition. Shared by POST/PUT normalisation and
/// PATCH, so both store exactly the same shapes. A null result means "no value": the attribute is cleared.
/// </summary>
internal static partial class ValueNormalizer
{
    /// <summary>The value of an attribute as a whole (an array for a multi-valued attribute).</summary>
    public static JsonNode? Attribute(AttributeDefinition attribute, JsonNode? value, IdpDialect dialect, string name) =>
        attribute.MultiValued ? MultiValued(attribute, value, dialect, name) : Single(attribute, value, dialect, name);

    /// <summary>
    /// One element of a multi-valued attribute, or the value of a single-valued one. A one-element array is unwrapped
    /// for a multi-valued attribute's element (<c>replace emails[type eq "work"]</c> with <c>[{…}]</c>).
    /// </summary>
    public static JsonNode? Single(AttributeDefinition attribute, JsonNode? value, IdpDialect dialect, string name)
    {
        if (value is null)
        {
            return null;
        }

        if (attribute.IsComplex)
        {
            return Complex(attribute, value, dialect, name);
        }

        if (value is not JsonValue scalar)
        {
            throw ScimException.InvalidValue($"Attribute '{name}' expects a single {TypeName(attribute.Type)} value.");
        }

        return attribute.Type switch
        {
            AttributeType.Boolean => BooleanValue(scalar, name),
            AttributeType.Integer => IntegerValue(scalar, name),
            AttributeType.Decimal => DecimalValue(scalar, name),
            AttributeType.DateTime => DateTimeValue(scalar, name),
            AttributeType.Binary => BinaryValue(scalar, name),
            AttributeType.String or AttributeType.Reference => TextValue(scalar, name),
            _ => throw ScimException.InvalidValue($"Attribute '{name}' has an unsupported type."),
        };
    }

    /// <summary>Merges sub-attribute values into a stored complex value; a cleared sub-attribute is removed.</summary>
    public static void MergeInto(JsonObject target, JsonObject normalizedOrCleared)
    {
        foreach (var (key, value) in normalizedOrCleared)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>
    /// The sub-attributes of a complex object value, normalised, with null for each one the client cleared
    /// (<c>{"value":""}</c>). Unknown and readOnly sub-attributes are dropped, as in a POST body.
    /// </summary>
    public static JsonObject SubAttributeChanges(AttributeDefinition attribute, JsonObject value, IdpDialect dialect, string name)
    {
        var changes = new JsonObject();
        foreach (var (key, subValue) in value)
        {
            var sub = attribute.FindSubAttribute(key);
            if (sub is null || sub.Mutability == Mutability.ReadOnly)
            {
                continue;
            }

            changes[sub.Name] = Single(sub, subValue, dialect, $"{name}.{sub.Name}");
        }

        return changes;
    }

    public static bool IsManager(AttributeDefinition attribute) =>
        attribute.SchemaUrn == ScimConstants.EnterpriseUserSchema
        && attribute.Name.Equals("manager", StringComparison.Ordinal);

    /// <summary>True for "", null, [] and {} : values that mean "nothing" in SCIM's stored form.</summary>
    public static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        JsonValue value => value.GetValueKind() == JsonValueKind.Null
            || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0),
        _ => false,
    };

    public static bool TryGetString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = string.Empty;
        return false;
    }

    private static JsonArray? MultiValued(AttributeDefinition attribute, JsonNode? value, IdpDialect dialect, string name)
    {
        if (IsEmpty(value))
        {
            return null;
        }

        // A single value for a multi-valued attribute is read as a one-element list; multi-valued attributes are
        // always stored as arrays.
        // Not `[value]`: beside a JsonArray that collection expression becomes a JsonArray and re-parents the node.
        IEnumerable<JsonNode?> items = value is JsonArray array ? array : new[] { value };
        var result = new JsonArray();
        foreach (var item in items)
        {
            var element = Single(attribute, item, dialect, name);
            if (element is not null && !result.Any(existing => JsonNode.DeepEquals(existing, element)))
            {
                result.Add(element);
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static JsonObject? Complex(AttributeDefinition attribute, JsonNode value, IdpDialect dialect, string name)
    {
        if (dialect.AcceptsManagerShorthand && IsManager(attribute) && value is not JsonObject)
        {
            return ManagerShorthand(attribute, value, dialect, name);
        }

        if (value is JsonValue nullOrEmpty && IsEmpty(nullOrEmpty))
        {
            return null;
        }

        if (value is not JsonObject obj)
        {
            throw ScimException.InvalidValue($"Attribute '{name}' expects a complex (object) value.");
        }

        var result = new JsonObject();
        foreach (var (key, sub) in SubAttributeChanges(attribute, obj, dialect, name))
        {
            if (sub is not null)
            {
                result[key] = sub.DeepClone();
            }
        }

        return result.Count == 0 ? null : result;
    }

    // E13 (see IdpDialect.AcceptsManagerShorthand): "M", [{"value":"M","$ref":…}], [] and "" all mean a manager.
    private static JsonObject? ManagerShorthand(AttributeDefinition attribute, JsonNode value, IdpDialect dialect, string name)
    {
        if (TryGetString(value, out var id))
        {
            return id.Length == 0 ? null : new JsonObject { ["value"] = id };
        }

        if (value is JsonArray array)
        {
            return array.Count switch
            {
                0 => null,
                1 => array[0] is null ? null : Complex(attribute, array[0]!, dialect, name),
                _ => throw ScimException.InvalidValue($"Attribute '{name}' is single-valued but got {array.Count} values."),
            };
        }

        if (IsEmpty(value))
        {
            return null;
        }

        throw ScimException.InvalidValue($"Attribute '{name}' expects a manager id or a complex value.");
    }

    private static JsonValue? TextValue(JsonValue value, string name)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return text.Length == 0 ? null : JsonValue.Create(text);
            case JsonValueKind.Number:
                // employeeNumber or externalId sent as a JSON number: keep its digits exactly, as a string.
                return JsonValue.Create(value.ToJsonString());
            case JsonValueKind.Null:
                return null;
            default:
                throw ScimException.InvalidValue($"Attribute '{name}' expects a string.");
        }
    }

    private static JsonValue? BooleanValue(JsonValue value, string name)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                // Entra without aadOptscim062020 sends "True"/"False" (idp-clients.md E9, E15; Entra [C]).
                var text = value.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (bool.TryParse(text, out var parsed))
                {
                    return JsonValue.Create(parsed);
                }

                break;
        }

        throw ScimException.InvalidValue($"Attribute '{name}' expects a boolean (true or false).");
    }

    private static JsonValue? IntegerValue(JsonValue value, string name)
    {
        if (value.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        // Parse the JSON text: a JsonValue built from an int does not convert to long by itself.
        var text = value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : TryGetString(value, out var s) ? s : null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        throw ScimException.InvalidValue($"Attribute '{name}' expects an integer.");
    }

    private static JsonValue? DecimalValue(JsonValue value, string name)
    {
        if (value.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : TryGetString(value, out var s) ? s : null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        throw ScimException.InvalidValue($"Attribute '{name}' expects a decimal number.");
    }

    private static JsonValue? DateTimeValue(JsonValue value, string name)
    {
        if (value.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        // RFC 7643 §2.3.5: an xsd:dateTime. Kept verbatim; only its shape and validity are checked.
        if (TryGetString(value, out var text))
        {
            if (text.Length == 0)
            {
                return null;
            }

            if (IsoDateTime().IsMatch(text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return JsonValue.Create(text);
            }
        }

        throw ScimException.InvalidValue($"Attribute '{name}' expects an ISO 8601 dateTime such as 2024-01-01T00:00:00Z.");
    }

    private static JsonValue? BinaryValue(JsonValue value, string name)
    {
        var text = TextValue(value, name);
        if (text is null)
        {
            return null;
        }

        var encoded = text.GetValue<string>();
        if (!Convert.TryFromBase64String(encoded, new byte[encoded.Length], out _))
        {
            throw ScimException.InvalidValue($"Attribute '{name}' expects base64-encoded binary data.");
        }

        return text;
    }

    private static string TypeName(AttributeType type) => type switch
    {
        AttributeType.DateTime => "dateTime",
        _ => type.ToString().ToLowerInvariant(),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex IsoDateTime();
}
