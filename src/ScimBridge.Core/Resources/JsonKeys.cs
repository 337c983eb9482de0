using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Core.Resources;

/// <summary>Attribute names are case-insensitive (RFC 7643 §2.1); these read raw client JSON accordingly.</summary>
internal static class JsonKeys
{
    public static JsonNode? Get(JsonObject json, string name)
    {
        if (json.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in json)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public static bool HasText(JsonObject json, string name) =>
        Get(json, name) is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && !string.IsNullOrWhiteSpace(value.GetValue<string>());
}
