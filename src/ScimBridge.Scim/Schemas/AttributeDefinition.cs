namespace ScimBridge.Scim.Schemas;

public enum AttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

public enum Mutability
{
    ReadWrite,
    ReadOnly,
    Immutable,
    WriteOnly,
}

public enum Returned
{
    Default,
    Always,
    Never,
    Request,
}

/// <summary>One attribute of a SCIM schema (RFC 7643 §7), as read from scim-schemas/*.json.</summary>
public sealed class AttributeDefinition
{
    public required string Name { get; init; }

    public required AttributeType Type { get; init; }

    public bool MultiValued { get; init; }

    public bool Required { get; init; }

    public bool CaseExact { get; init; }

    public Mutability Mutability { get; init; }

    public Returned Returned { get; init; }

    /// <summary>The schema URN this attribute belongs to; empty for the common attributes (id, externalId, meta).</summary>
    public required string SchemaUrn { get; init; }

    public IReadOnlyList<AttributeDefinition> SubAttributes { get; init; } = [];

    public bool IsComplex => Type == AttributeType.Complex;

    public AttributeDefinition? FindSubAttribute(string name)
    {
        foreach (var sub in SubAttributes)
        {
            if (string.Equals(sub.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return sub;
            }
        }

        return null;
    }

    public override string ToString() => Name;
}
