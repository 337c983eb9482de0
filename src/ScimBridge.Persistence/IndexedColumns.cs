using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Persistence;

/// <summary>The attributes copied out of the body into indexed columns (userName, externalId, displayName, active).</summary>
internal sealed record IndexedColumns(string? UserName, string? ExternalId, string? DisplayName, bool? Active)
{
    public string? UserNameFolded => UserName?.ToLowerInvariant();

    public string? DisplayNameFolded => DisplayName?.ToLowerInvariant();

    public static IndexedColumns From(ScimResourceKind kind, JsonObject body) => new(
        kind == ScimResourceKind.User ? Text(body, "userName") : null,
        Text(body, "externalId"),
        Text(body, "displayName"),
        kind == ScimResourceKind.User && body["active"] is JsonValue active && active.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? active.GetValue<bool>()
            : null);

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
