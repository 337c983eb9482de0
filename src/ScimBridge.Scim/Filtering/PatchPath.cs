namespace ScimBridge.Scim.Filtering;

/// <summary>
/// A PATCH path (RFC 7644 §3.5.2): <c>attrPath</c> or <c>valuePath [ "." subAttr ]</c>,
/// e.g. <c>emails[type eq "work"].value</c> or <c>members[value eq "u1"]</c>.
/// </summary>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter, string? SubAttribute)
{
    public static PatchPath Parse(string text) => FilterParser.ParsePatchPath(text);

    public override string ToString()
    {
        if (ValueFilter is null)
        {
            return Attribute.ToString();
        }

        var sub = SubAttribute is null ? string.Empty : "." + SubAttribute;
        return $"{Attribute}[{ValueFilter}]{sub}";
    }
}
