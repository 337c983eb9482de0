using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Patching;

public enum PatchOperationType
{
    Add,
    Remove,
    Replace,
}

/// <summary>
/// One PATCH operation (RFC 7644 §3.5.2). <see cref="Path"/> is null for a no-path add/replace; <see cref="Value"/> is
/// null when the client sent no value or JSON null (for add/replace: "clear", as Entra's null update test expects).
/// </summary>
public sealed record PatchOperation(PatchOperationType Op, string? Path, JsonNode? Value);
