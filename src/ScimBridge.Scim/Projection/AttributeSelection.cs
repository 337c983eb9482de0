using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Projection;

/// <summary>
/// The <c>attributes</c> / <c>excludedAttributes</c> query parameters of RFC 7644 §3.4.2.5, resolved against a
/// resource's schema once and applied to full representations. "id" and "schemas" are returned always, "password"
/// never (their "returned" characteristic, RFC 7643 §7).
/// </summary>
public sealed class AttributeSelection
{
    private readonly SelectionMode _mode;
    private readonly ResourceSchema? _schema;
    private readonly IReadOnlyList<Selected> _selected;

    private AttributeSelection(SelectionMode mode, ResourceSchema? schema, IReadOnlyList<Selected> selected)
    {
        _mode = mode;
        _schema = schema;
        _selected = selected;
    }

    private enum SelectionMode
    {
        All,
        Include,
        Exclude,
    }

    public static AttributeSelection All { get; } = new(SelectionMode.All, null, []);

    /// <summary>
    /// Names are comma separated, case-insensitive, may be dotted (<c>name.givenName</c>), URN-qualified, or a whole
    /// extension URN. Microsoft's reference collection sends <c>emails[type eq "work"]</c>, which is not RFC grammar;
    /// it is read as <c>emails</c>. Unknown names are ignored. When both are given, <c>attributes</c> wins
    /// (RFC 7644 §3.4.2.5 says they are not used together).
    /// </summary>
    public static AttributeSelection Parse(ResourceSchema schema, string? attributes, string? excludedAttributes)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!string.IsNullOrWhiteSpace(attributes))
        {
            return new AttributeSelection(SelectionMode.Include, schema, Resolve(schema, attributes));
        }

        if (!string.IsNullOrWhiteSpace(excludedAttributes))
        {
            return new AttributeSelection(SelectionMode.Exclude, schema, Resolve(schema, excludedAttributes));
        }

        return All;
    }

    /// <summary>
    /// Whether a top-level attribute (or a whole extension URN) can appear in the output, so the store can skip
    /// loading what is not returned: <c>Includes("members")</c> is false for <c>excludedAttributes=members</c>.
    /// </summary>
    public bool Includes(string topLevelAttribute)
    {
        ArgumentNullException.ThrowIfNull(topLevelAttribute);
        if (_schema is null)
        {
            return !topLevelAttribute.Equals("password", StringComparison.OrdinalIgnoreCase);
        }

        if (_schema.CanonicalExtensionUrn(topLevelAttribute) is { } urn)
        {
            return _mode == SelectionMode.Include
                ? _selected.Any(s => s.ExtensionUrn == urn || s.Attribute?.SchemaUrn == urn)
                : !_selected.Any(s => s.ExtensionUrn == urn);
        }

        var attribute = _schema.Resolve(AttributePath.Parse(topLevelAttribute))?.Attribute;
        return attribute is null ? _mode != SelectionMode.Include : IsReturned(attribute);
    }

    /// <summary>
    /// Projects a full representation (with schemas, id, meta, members/groups and extension objects). With nothing
    /// selected or excluded it returns the representation itself, which then must not carry "password" (stored
    /// bodies never do).
    /// </summary>
    public JsonObject Apply(JsonObject representation)
    {
        ArgumentNullException.ThrowIfNull(representation);
        if (_mode == SelectionMode.All && !representation.ContainsKey("password"))
        {
            return representation;
        }

        var result = new JsonObject();
        foreach (var (key, value) in representation)
        {
            var projected = ProjectTopLevel(key, value);
            if (projected is not null)
            {
                result[key] = projected;
            }
        }

        return result;
    }

    private JsonNode? ProjectTopLevel(string key, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_schema is null)
        {
            return key.Equals("password", StringComparison.OrdinalIgnoreCase) ? null : value.DeepClone();
        }

        if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase))
        {
            return value.DeepClone();
        }

        if (_schema.CanonicalExtensionUrn(key) is { } urn)
        {
            return value is JsonObject extension ? ProjectExtension(urn, extension) : null;
        }

        var attribute = _schema.Resolve(new AttributePath(_schema.CoreSchemaUrn, key, null))?.Attribute;
        if (attribute is null)
        {
            // Something the host added that no schema describes: only an explicit list can leave it out.
            return _mode == SelectionMode.Include ? null : value.DeepClone();
        }

        return Project(attribute, value);
    }

    private JsonObject? ProjectExtension(string urn, JsonObject extension)
    {
        var result = new JsonObject();
        foreach (var (key, value) in extension)
        {
            var attribute = _schema!.Resolve(new AttributePath(urn, key, null))?.Attribute;
            var projected = value is null ? null
                : attribute is null ? (_mode == SelectionMode.Include && !WholeExtension(urn) ? null : value.DeepClone())
                : Project(attribute, value);
            if (projected is not null)
            {
                result[key] = projected;
            }
        }

        return result.Count == 0 ? null : result;
    }

    private JsonNode? Project(AttributeDefinition attribute, JsonNode value)
    {
        if (!IsReturned(attribute))
        {
            return null;
        }

        if (attribute.Returned == Returned.Always || _mode == SelectionMode.All)
        {
            return value.DeepClone();
        }

        var subs = _selected.Where(s => ReferenceEquals(s.Attribute, attribute) && s.Sub is not null)
            .Select(s => s.Sub!.Name).ToHashSet(StringComparer.Ordinal);
        if (_mode == SelectionMode.Include)
        {
            var whole = WholeExtension(attribute.SchemaUrn)
                || _selected.Any(s => ReferenceEquals(s.Attribute, attribute) && s.Sub is null);
            return whole ? value.DeepClone() : FilterSubAttributes(value, keep: subs);
        }

        return subs.Count == 0 ? value.DeepClone() : FilterSubAttributes(value, drop: subs);
    }

    /// <summary>Whether the attribute appears at all (for an Include, at least one of its sub-attributes was asked for).</summary>
    private bool IsReturned(AttributeDefinition attribute)
    {
        if (attribute.Returned == Returned.Never)
        {
            return false;
        }

        if (attribute.Returned == Returned.Always)
        {
            return true;
        }

        return _mode switch
        {
            SelectionMode.Include => WholeExtension(attribute.SchemaUrn) || _selected.Any(s => ReferenceEquals(s.Attribute, attribute)),
            SelectionMode.Exclude => attribute.Returned != Returned.Request && !WholeExtension(attribute.SchemaUrn)
                && !_selected.Any(s => ReferenceEquals(s.Attribute, attribute) && s.Sub is null),
            _ => attribute.Returned != Returned.Request,
        };
    }

    private bool WholeExtension(string urn) => urn.Length > 0 && _selected.Any(s => s.ExtensionUrn == urn);

    private static JsonNode? FilterSubAttributes(JsonNode value, HashSet<string>? keep = null, HashSet<string>? drop = null)
    {
        switch (value)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    var wanted = keep is not null
                        ? keep.Contains(key, StringComparer.OrdinalIgnoreCase)
                        : !drop!.Contains(key, StringComparer.OrdinalIgnoreCase);
                    if (wanted && item is not null)
                    {
                        result[key] = item.DeepClone();
                    }
                }

                return result.Count == 0 ? null : result;
            case JsonArray array:
                var elements = new JsonArray();
                foreach (var element in array)
                {
                    if (element is not null && FilterSubAttributes(element, keep, drop) is { } filtered)
                    {
                        elements.Add(filtered);
                    }
                }

                return elements.Count == 0 ? null : elements;
            default:
                // A simple value has no sub-attributes: "userName.x" selected nothing in it.
                return keep is null ? value.DeepClone() : null;
        }
    }

    private static List<Selected> Resolve(ResourceSchema schema, string names)
    {
        var result = new List<Selected>();
        foreach (var raw in SplitNames(names))
        {
            var name = WithoutValueFilter(raw);
            if (name.Length == 0)
            {
                continue;
            }

            if (schema.CanonicalExtensionUrn(name) is { } urn)
            {
                result.Add(new Selected(null, null, urn));
            }
            else if (schema.Resolve(AttributePath.Parse(name)) is { } resolved)
            {
                result.Add(new Selected(resolved.Attribute, resolved.Sub, null));
            }
        }

        return result;
    }

    /// <summary>Splits on commas outside brackets and quotes, so <c>emails[type eq "a,b"]</c> stays one name.</summary>
    private static IEnumerable<string> SplitNames(string names)
    {
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < names.Length; i++)
        {
            var c = names[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < names.Length)
                {
                    current.Append(c);
                    c = names[++i];
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && depth > 0)
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                yield return current.ToString().Trim();
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        yield return current.ToString().Trim();
    }

    /// <summary><c>emails[type eq "work"]</c> → <c>emails</c>; <c>emails[type eq "work"].value</c> → <c>emails.value</c>.</summary>
    private static string WithoutValueFilter(string name)
    {
        var open = name.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return name;
        }

        var close = name.LastIndexOf(']');
        return close < open ? name[..open].Trim() : (name[..open] + name[(close + 1)..]).Trim();
    }

    /// <summary>One resolved name: an attribute (with an optional sub-attribute), or a whole extension.</summary>
    private sealed record Selected(AttributeDefinition? Attribute, AttributeDefinition? Sub, string? ExtensionUrn);
}
