using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Patching;

/// <summary>Reads a PatchOp message (RFC 7644 §3.5.2) into operations, rejecting malformed ones before any is applied.</summary>
public static class PatchRequest
{
    public static IReadOnlyList<PatchOperation> Parse(JsonNode? body, IdpDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (body is not JsonObject message)
        {
            throw ScimException.InvalidSyntax("The PATCH body must be a JSON object with an 'Operations' array.");
        }

        CheckSchemas(StoredBody.Property(message, "schemas"));

        // Entra and Okta both send "Operations"; lower-case spellings appear in hand-written clients.
        if (StoredBody.Property(message, "Operations") is not JsonArray operations)
        {
            throw ScimException.InvalidSyntax("The PATCH body needs an 'Operations' array.");
        }

        // An empty list is a valid no-op: the SCIM validator sends one (scimmy#59, better-auth#8549).
        var result = new List<PatchOperation>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            result.Add(ParseOperation(operations[i], i));
        }

        return result;
    }

    private static void CheckSchemas(JsonNode? schemas)
    {
        // Tolerate a missing "schemas"; reject one that names only other messages (a resource body sent to PATCH).
        if (schemas is not JsonArray list || list.Count == 0)
        {
            return;
        }

        foreach (var item in list)
        {
            if (ValueNormalizer.TryGetString(item, out var urn)
                && urn.Equals(ScimConstants.PatchOpSchema, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        throw ScimException.InvalidSyntax($"'schemas' must contain {ScimConstants.PatchOpSchema}.");
    }

    private static PatchOperation ParseOperation(JsonNode? node, int index)
    {
        if (node is not JsonObject operation)
        {
            throw ScimException.InvalidSyntax($"Operations[{index}] must be an object with 'op', 'path' and 'value'.");
        }

        // Case-insensitive op: Entra sends "Add"/"Replace"/"Remove" without aadOptscim062020 (idp-clients.md E7).
        if (!ValueNormalizer.TryGetString(StoredBody.Property(operation, "op"), out var opText))
        {
            throw ScimException.InvalidSyntax($"Operations[{index}] has no 'op'.");
        }

        var op = opText.Trim().ToUpperInvariant() switch
        {
            "ADD" => PatchOperationType.Add,
            "REMOVE" => PatchOperationType.Remove,
            "REPLACE" => PatchOperationType.Replace,
            _ => throw ScimException.InvalidSyntax(
                $"Operations[{index}] has op '{opText}'; it must be add, remove or replace."),
        };

        var path = ParsePath(StoredBody.Property(operation, "path"), index);
        var hasValue = TryGetProperty(operation, "value", out var value);
        if (op == PatchOperationType.Remove && path is null)
        {
            throw ScimException.NoTarget($"Operations[{index}]: remove needs a 'path' (RFC 7644 §3.5.2.2).");
        }

        if (op != PatchOperationType.Remove && !hasValue)
        {
            throw ScimException.InvalidValue($"Operations[{index}]: {opText} needs a 'value'.");
        }

        return new PatchOperation(op, path, value?.DeepClone());
    }

    private static string? ParsePath(JsonNode? node, int index)
    {
        if (node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
        {
            return null;
        }

        if (!ValueNormalizer.TryGetString(node, out var path))
        {
            throw ScimException.InvalidPath($"Operations[{index}]: 'path' must be a string.");
        }

        // Some clients send "path":"" to mean "no path".
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        // Parse now so that a bad path fails the request before any operation is applied.
        PatchPath.Parse(path);
        return path.Trim();
    }

    private static bool TryGetProperty(JsonObject obj, string name, out JsonNode? value)
    {
        foreach (var (key, item) in obj)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = item;
                return true;
            }
        }

        value = null;
        return false;
    }
}
