using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ScimBridge.Platforms.Scim;

// RFC 7643/7644 wire shapes, only the attributes the adapter reads or writes. Names are camelCase except
// "Resources" and "Operations", which the RFC capitalises; reading is case-insensitive because targets disagree.

internal static class ScimSchemas
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string MediaType = "application/scim+json";
}

internal sealed class ScimListResponse<T>
{
    public int TotalResults { get; set; }

    public int? StartIndex { get; set; }

    public int? ItemsPerPage { get; set; }

    // RFC 7644 §3.4.2: "Resources" may be left out when there are none.
    [JsonPropertyName("Resources")]
    public List<T>? Resources { get; set; }
}

internal sealed class ScimMeta
{
    public DateTimeOffset? Created { get; set; }

    public DateTimeOffset? LastModified { get; set; }
}

internal sealed class ScimName
{
    public string? Formatted { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }
}

internal sealed class ScimMultiValue
{
    public string? Value { get; set; }

    public string? Type { get; set; }

    public bool? Primary { get; set; }

    public string? Display { get; set; }
}

internal sealed class ScimUser
{
    public List<string>? Schemas { get; set; }

    public string? Id { get; set; }

    public string? ExternalId { get; set; }

    public string? UserName { get; set; }

    public string? DisplayName { get; set; }

    public ScimName? Name { get; set; }

    public List<ScimMultiValue>? Emails { get; set; }

    public bool? Active { get; set; }

    public ScimMeta? Meta { get; set; }
}

internal sealed class ScimGroup
{
    public List<string>? Schemas { get; set; }

    public string? Id { get; set; }

    public string? ExternalId { get; set; }

    public string? DisplayName { get; set; }

    public List<ScimMultiValue>? Members { get; set; }

    public ScimMeta? Meta { get; set; }
}

internal sealed class ScimPatchOperation
{
    public string Op { get; set; } = "";

    public string? Path { get; set; }

    public JsonNode? Value { get; set; }
}

internal sealed class ScimPatchRequest
{
    public List<string>? Schemas { get; set; }

    [JsonPropertyName("Operations")]
    public List<ScimPatchOperation> Operations { get; set; } = [];
}

/// <summary>RFC 7644 §3.12: status is a string ("404"), scimType is set for 400 and 409.</summary>
internal sealed class ScimError
{
    public string? ScimType { get; set; }

    public string? Detail { get; set; }

    public JsonNode? Status { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ScimListResponse<ScimUser>))]
[JsonSerializable(typeof(ScimListResponse<ScimGroup>))]
[JsonSerializable(typeof(ScimUser))]
[JsonSerializable(typeof(ScimGroup))]
[JsonSerializable(typeof(ScimPatchRequest))]
[JsonSerializable(typeof(ScimError))]
internal sealed partial class ScimJsonContext : JsonSerializerContext;
