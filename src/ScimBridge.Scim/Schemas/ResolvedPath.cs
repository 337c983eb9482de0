namespace ScimBridge.Scim.Schemas;

/// <summary>
/// An attribute path resolved against a resource's schemas: canonical names, and the definitions that say how to
/// compare and store it. <see cref="Sub"/> is set for <c>name.givenName</c> or <c>emails.value</c>.
/// </summary>
public sealed record ResolvedPath(AttributeDefinition Attribute, AttributeDefinition? Sub)
{
    /// <summary>The definition whose type and caseExact govern a comparison.</summary>
    public AttributeDefinition Leaf => Sub ?? Attribute;

    public override string ToString() => Sub is null ? Attribute.Name : $"{Attribute.Name}.{Sub.Name}";
}
