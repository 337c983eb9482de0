namespace ScimBridge.Scim.Filtering;

/// <summary>
/// An attribute path as written (RFC 7644 §3.10): an optional schema URN, a name and an optional sub-attribute.
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value</c> has all three.
/// </summary>
public sealed record AttributePath(string? SchemaUrn, string Name, string? SubAttribute)
{
    public static AttributePath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? urn = null;
        var rest = text;
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            var colon = text.LastIndexOf(':');
            urn = text[..colon];
            rest = text[(colon + 1)..];
        }

        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new AttributePath(urn, rest, null)
            : new AttributePath(urn, rest[..dot], rest[(dot + 1)..]);
    }

    public override string ToString()
    {
        var local = SubAttribute is null ? Name : $"{Name}.{SubAttribute}";
        return SchemaUrn is null ? local : $"{SchemaUrn}:{local}";
    }
}
