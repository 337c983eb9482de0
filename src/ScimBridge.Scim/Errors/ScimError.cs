using System.Text.Json.Serialization;

namespace ScimBridge.Scim.Errors;

/// <summary>
/// The SCIM error body. <c>status</c> is a string, as in RFC 7644 §3.12's examples
/// (bitwarden and the AzureAD reference code send an int, which strict clients reject).
/// </summary>
public sealed record ScimError(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("scimType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScimType,
    [property: JsonPropertyName("detail")] string Detail)
{
    [JsonPropertyName("schemas")]
    [JsonPropertyOrder(-1)]
    public IReadOnlyList<string> Schemas { get; } = [ScimConstants.ErrorSchema];
}
