using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Schemas;

public enum ScimResourceKind
{
    User,
    Group,
}

/// <summary>A resource type with its core schema, its extensions and the common attributes (RFC 7643 §3.1).</summary>
public sealed class ResourceSchema
{
    private readonly Dictionary<string, AttributeDefinition> _core;
    private readonly Dictionary<string, Dictionary<string, AttributeDefinition>> _extensions;

    internal ResourceSchema(
        ScimResourceKind kind,
        string endpoint,
        string coreSchemaUrn,
        IReadOnlyList<AttributeDefinition> coreAttributes,
        IReadOnlyDictionary<string, IReadOnlyList<AttributeDefinition>> extensions)
    {
        Kind = kind;
        Endpoint = endpoint;
        CoreSchemaUrn = coreSchemaUrn;
        _core = new Dictionary<string, AttributeDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in CommonAttributes.All.Concat(coreAttributes))
        {
            _core[attribute.Name] = attribute;
        }

        _extensions = new Dictionary<string, Dictionary<string, AttributeDefinition>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (urn, attributes) in extensions)
        {
            _extensions[urn] = attributes.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        }

        ExtensionUrns = [.. extensions.Keys];
    }

    public ScimResourceKind Kind { get; }

    public string Endpoint { get; }

    public string CoreSchemaUrn { get; }

    public IReadOnlyList<string> ExtensionUrns { get; }

    public IEnumerable<AttributeDefinition> CoreAttributes => _core.Values;

    public IEnumerable<AttributeDefinition> ExtensionAttributes(string urn) =>
        _extensions.TryGetValue(urn, out var attributes) ? attributes.Values : [];

    public bool IsExtension(string urn) => _extensions.ContainsKey(urn);

    public string? CanonicalExtensionUrn(string urn) =>
        ExtensionUrns.FirstOrDefault(u => string.Equals(u, urn, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Resolves a path the way RFC 7644 §3.10 describes: a URN prefix selects a schema, names compare
    /// case-insensitively. An unqualified name is looked up in the core schema first, then in the extensions.
    /// Returns null when the attribute does not exist.
    /// </summary>
    public ResolvedPath? Resolve(AttributePath path)
    {
        AttributeDefinition? attribute = null;
        if (path.SchemaUrn is { } urn)
        {
            if (string.Equals(urn, CoreSchemaUrn, StringComparison.OrdinalIgnoreCase))
            {
                _core.TryGetValue(path.Name, out attribute);
            }
            else if (_extensions.TryGetValue(urn, out var extension))
            {
                extension.TryGetValue(path.Name, out attribute);
            }
        }
        else if (!_core.TryGetValue(path.Name, out attribute))
        {
            foreach (var extension in _extensions.Values)
            {
                if (extension.TryGetValue(path.Name, out attribute))
                {
                    break;
                }
            }
        }

        if (attribute is null)
        {
            return null;
        }

        if (path.SubAttribute is null)
        {
            return new ResolvedPath(attribute, null);
        }

        var sub = attribute.FindSubAttribute(path.SubAttribute);
        return sub is null ? null : new ResolvedPath(attribute, sub);
    }

    /// <summary>Resolves a sub-attribute inside a value filter (<c>emails[type eq "work"]</c>): names are relative.</summary>
    public static AttributeDefinition? ResolveRelative(AttributeDefinition parent, AttributePath path) =>
        path.SchemaUrn is null && path.SubAttribute is null ? parent.FindSubAttribute(path.Name) : null;
}
