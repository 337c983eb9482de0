namespace ScimBridge.Scim.Filtering;

/// <summary>The filter AST of RFC 7644 §3.4.2.2. Parsed once, then compiled to SQL or evaluated on a value.</summary>
public abstract record FilterNode;

// ToString prints filter syntax that parses back to the same tree (used in error details and PatchPath.ToString).
public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} and {Right})";
}

public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} or {Right})";
}

public sealed record NotNode(FilterNode Inner) : FilterNode
{
    public override string ToString() => $"not ({Inner})";
}

public sealed record PresentNode(AttributePath Path) : FilterNode
{
    public override string ToString() => $"{Path} pr";
}

public sealed record CompareNode(AttributePath Path, CompareOperator Operator, FilterValue Value) : FilterNode
{
    public override string ToString() => $"{Path} {Operator.ToString().ToLowerInvariant()} {Value}";
}

/// <summary><c>emails[type eq "work" and value ew "@x.com"]</c>: the inner filter's paths are sub-attributes of Path.</summary>
public sealed record ValuePathNode(AttributePath Path, FilterNode Filter) : FilterNode
{
    public override string ToString() => $"{Path}[{Filter}]";
}

public enum CompareOperator
{
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

public enum FilterValueKind
{
    Null,
    String,
    Boolean,
    Number,
}

/// <summary>A compValue: a JSON literal (false / null / true / number / string).</summary>
public readonly record struct FilterValue(FilterValueKind Kind, string? Text, bool Boolean, decimal Number)
{
    public static FilterValue Null => new(FilterValueKind.Null, null, false, 0);

    public static FilterValue FromString(string text) => new(FilterValueKind.String, text, false, 0);

    public static FilterValue FromBoolean(bool value) => new(FilterValueKind.Boolean, null, value, 0);

    public static FilterValue FromNumber(decimal value) => new(FilterValueKind.Number, null, false, value);

    public override string ToString() => Kind switch
    {
        FilterValueKind.Null => "null",
        FilterValueKind.String => System.Text.Json.JsonSerializer.Serialize(Text),
        FilterValueKind.Boolean => Boolean ? "true" : "false",
        FilterValueKind.Number => Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "?",
    };
}
