namespace ScimBridge.Scim.Schemas;

/// <summary>RFC 7643 §3.1: attributes every resource has, which the schema files do not list.</summary>
public static class CommonAttributes
{
    public static readonly AttributeDefinition Id = new()
    {
        Name = "id", Type = AttributeType.String, CaseExact = true, Mutability = Mutability.ReadOnly,
        Returned = Returned.Always, SchemaUrn = string.Empty,
    };

    public static readonly AttributeDefinition ExternalId = new()
    {
        Name = "externalId", Type = AttributeType.String, CaseExact = true, Mutability = Mutability.ReadWrite,
        SchemaUrn = string.Empty,
    };

    public static readonly AttributeDefinition Schemas = new()
    {
        Name = "schemas", Type = AttributeType.Reference, MultiValued = true, CaseExact = false,
        Mutability = Mutability.ReadWrite, Returned = Returned.Always, SchemaUrn = string.Empty,
    };

    public static readonly AttributeDefinition Meta = new()
    {
        Name = "meta", Type = AttributeType.Complex, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty,
        SubAttributes =
        [
            new() { Name = "resourceType", Type = AttributeType.String, CaseExact = true, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty },
            new() { Name = "created", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty },
            new() { Name = "lastModified", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty },
            new() { Name = "location", Type = AttributeType.Reference, CaseExact = true, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty },
            new() { Name = "version", Type = AttributeType.String, CaseExact = true, Mutability = Mutability.ReadOnly, SchemaUrn = string.Empty },
        ],
    };

    public static IReadOnlyList<AttributeDefinition> All { get; } = [Id, ExternalId, Schemas, Meta];
}
