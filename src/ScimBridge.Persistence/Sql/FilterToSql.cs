using System.Globalization;
using ScimBridge.Core.Resources;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Persistence.Sql;

/// <summary>
/// Compiles the filter AST into a parameterised SQL predicate over a resource table aliased <c>r</c>
/// (RFC 7644 §3.4.2.2). Attributes with their own indexed column use it; every other attribute is read from the
/// canonical JSON body; multi-valued attributes match when any element matches (EXISTS over the array);
/// members/groups go through the member table. Each leaf yields true or false, never NULL, so <c>not</c> is exact.
/// </summary>
internal sealed class FilterToSql
{
    private readonly ResourceSchema _schema;
    private readonly ISqlDialect _sql;
    private readonly SqlParameters _parameters;
    private int _aliases;

    private FilterToSql(ResourceSchema schema, ISqlDialect sql, SqlParameters parameters)
    {
        _schema = schema;
        _sql = sql;
        _parameters = parameters;
    }

    /// <summary>A comparable SQL expression and the definition that says how to compare it.</summary>
    private sealed record Operand(string Sql, AttributeDefinition Leaf, bool Folded = false);

    public static string Where(FilterNode filter, ResourceSchema schema, ISqlDialect sql, SqlParameters parameters) =>
        new FilterToSql(schema, sql, parameters).Node(filter);

    /// <summary>A predicate over one member row aliased <c>m</c> (for <c>remove members[type eq "Group"]</c>).</summary>
    public static string MemberWhere(FilterNode filter, ISqlDialect sql, SqlParameters parameters)
    {
        var compiler = new FilterToSql(SchemaRegistry.Instance.Group, sql, parameters);
        var members = SchemaRegistry.Instance.Group.Resolve(new AttributePath(null, "members", null))!.Attribute;
        return compiler.Inner(filter, path => MemberOperand(members, path, "m"));
    }

    /// <summary>An ORDER BY list for sortBy (RFC 7644 §3.4.2.3), nulls last, ending in the stable insertion order.</summary>
    public static string OrderBy(AttributePath? sortBy, bool descending, ResourceSchema schema, ISqlDialect sql, SqlParameters parameters)
    {
        if (sortBy is null)
        {
            return descending ? "r.seq DESC" : "r.seq";
        }

        var expression = new FilterToSql(schema, sql, parameters).SortExpression(sortBy);
        var direction = descending ? " DESC" : string.Empty;
        return $"({expression}) IS NULL, {expression}{direction}, r.seq";
    }

    private string Node(FilterNode node) => node switch
    {
        AndNode and => $"({Node(and.Left)} AND {Node(and.Right)})",
        OrNode or => $"({Node(or.Left)} OR {Node(or.Right)})",
        NotNode not => $"(NOT {Node(not.Inner)})",
        PresentNode present => Attribute(present.Path, null),
        CompareNode compare => Attribute(compare.Path, compare),
        ValuePathNode valuePath => ValuePath(valuePath),
        _ => throw ScimException.InvalidFilter("Unsupported filter."),
    };

    private string Attribute(AttributePath path, CompareNode? compare)
    {
        var resolved = Resolve(path);
        var attribute = resolved.Attribute;
        if (IsRelation(attribute))
        {
            var sub = resolved.Sub?.Name ?? "value";
            if (compare is null && resolved.Sub is null)
            {
                return Relation(attribute, null);
            }

            var alias = RelationAlias(attribute);
            return Relation(attribute, Leaf(RelationOperand(attribute, new AttributePath(null, sub, null), alias), compare));
        }

        if (ReferenceEquals(attribute, CommonAttributes.Meta))
        {
            return Meta(resolved.Sub, compare);
        }

        if (ReferenceEquals(attribute, CommonAttributes.Schemas))
        {
            return Schemas(compare);
        }

        if (Column(attribute) is { } column)
        {
            return Leaf(column, compare);
        }

        if (attribute.MultiValued)
        {
            if (compare is null && resolved.Sub is null)
            {
                return $"{_sql.JsonArrayLength("r.body", JsonPath(attribute))} > 0";
            }

            var sub = resolved.Sub ?? attribute.FindSubAttribute("value")
                ?? throw ScimException.InvalidFilter($"'{path}' needs a sub-attribute.");
            var alias = NextAlias();
            var element = new Operand(_sql.JsonScalar($"{alias}.value", _parameters.Add(_sql.JsonPath([sub.Name]))), sub);
            return $"EXISTS (SELECT 1 FROM {_sql.JsonElements("r.body", JsonPath(attribute), alias)} WHERE {Leaf(element, compare)})";
        }

        if (attribute.IsComplex)
        {
            if (resolved.Sub is null && compare is null)
            {
                return _sql.JsonPresent("r.body", JsonPath(attribute));
            }

            var sub = resolved.Sub ?? attribute.FindSubAttribute("value")
                ?? throw ScimException.InvalidFilter($"'{path}' is complex: compare one of its sub-attributes.");
            return Leaf(new Operand(_sql.JsonScalar("r.body", JsonPath(attribute, sub)), sub), compare);
        }

        return Leaf(new Operand(_sql.JsonScalar("r.body", JsonPath(attribute)), attribute), compare);
    }

    private string ValuePath(ValuePathNode node)
    {
        var resolved = Resolve(node.Path);
        var attribute = resolved.Attribute;
        if (!attribute.IsComplex)
        {
            throw ScimException.InvalidFilter($"'{node.Path}' is not complex, so it takes no value filter.");
        }

        if (IsRelation(attribute))
        {
            var alias = RelationAlias(attribute);
            return Relation(attribute, Inner(node.Filter, path => RelationOperand(attribute, path, alias)));
        }

        if (attribute.MultiValued)
        {
            var alias = NextAlias();
            var inner = Inner(node.Filter, path =>
            {
                var sub = ResourceSchema.ResolveRelative(attribute, path)
                    ?? throw ScimException.InvalidFilter($"'{path}' is not a sub-attribute of '{attribute.Name}'.");
                return new Operand(_sql.JsonScalar($"{alias}.value", _parameters.Add(_sql.JsonPath([sub.Name]))), sub);
            });
            return $"EXISTS (SELECT 1 FROM {_sql.JsonElements("r.body", JsonPath(attribute), alias)} WHERE {inner})";
        }

        return Inner(node.Filter, path =>
        {
            var sub = ResourceSchema.ResolveRelative(attribute, path)
                ?? throw ScimException.InvalidFilter($"'{path}' is not a sub-attribute of '{attribute.Name}'.");
            return new Operand(_sql.JsonScalar("r.body", JsonPath(attribute, sub)), sub);
        });
    }

    /// <summary>A value filter's inner expression, with paths resolved relative to the element.</summary>
    private string Inner(FilterNode node, Func<AttributePath, Operand> resolve) => node switch
    {
        AndNode and => $"({Inner(and.Left, resolve)} AND {Inner(and.Right, resolve)})",
        OrNode or => $"({Inner(or.Left, resolve)} OR {Inner(or.Right, resolve)})",
        NotNode not => $"(NOT {Inner(not.Inner, resolve)})",
        PresentNode present => Leaf(resolve(present.Path), null),
        CompareNode compare => Leaf(resolve(compare.Path), compare),
        _ => throw ScimException.InvalidFilter("Value filters cannot be nested."),
    };

    private static bool IsRelation(AttributeDefinition attribute) =>
        attribute.SchemaUrn is ScimBridge.Scim.ScimConstants.GroupSchema && attribute.Name == "members"
        || attribute.SchemaUrn is ScimBridge.Scim.ScimConstants.UserSchema && attribute.Name == "groups";

    private static string RelationAlias(AttributeDefinition attribute) => attribute.Name == "members" ? "m" : "gm";

    // With a predicate, "r.id IN (…)" lets SQLite start from the member index (which groups hold user X?) instead of
    // probing every group of the connection; bare presence stays a correlated EXISTS.
    private static string Relation(AttributeDefinition attribute, string? predicate) => (attribute.Name, predicate) switch
    {
        ("members", null) => "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = r.id)",
        ("members", _) => $"r.id IN (SELECT m.group_id FROM group_members m WHERE {predicate})",
        (_, null) => "EXISTS (SELECT 1 FROM group_members gm WHERE gm.member_id = r.id)",
        _ => $"r.id IN (SELECT gm.member_id FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE {predicate})",
    };

    private static Operand RelationOperand(AttributeDefinition attribute, AttributePath path, string alias) =>
        attribute.Name == "members" ? MemberOperand(attribute, path, alias) : GroupOperand(attribute, path, alias);

    private static Operand MemberOperand(AttributeDefinition members, AttributePath path, string alias)
    {
        var sub = ResourceSchema.ResolveRelative(members, path);
        return sub?.Name switch
        {
            "value" => new Operand($"{alias}.member_id", sub),
            "type" => new Operand($"{alias}.member_type", sub),

            // display is the member's current name (as the relation read shows it), looked up by id.
            "display" => new Operand(
                $"COALESCE((SELECT COALESCE(mu.display_name, mu.user_name) FROM users mu WHERE mu.id = {alias}.member_id), "
                + $"(SELECT mg.display_name FROM groups mg WHERE mg.id = {alias}.member_id))",
                sub),
            _ => throw ScimException.InvalidFilter($"members.{path} is not filterable; use members.value, members.type or members.display."),
        };
    }

    private static Operand GroupOperand(AttributeDefinition groups, AttributePath path, string alias)
    {
        var sub = ResourceSchema.ResolveRelative(groups, path);
        return sub?.Name switch
        {
            "value" => new Operand($"{alias}.group_id", sub),
            "display" => new Operand("g.display_name_ci", sub, Folded: true),
            _ => throw ScimException.InvalidFilter($"groups.{path} is not filterable; use groups.value or groups.display."),
        };
    }

    private string Meta(AttributeDefinition? sub, CompareNode? compare) => sub?.Name switch
    {
        "created" => Leaf(new Operand("r.created", sub), compare),
        "lastModified" => Leaf(new Operand("r.last_modified", sub), compare),
        "resourceType" => Constant(_schema.Kind == ScimResourceKind.User ? "User" : "Group", compare),
        null when compare is null => "1 = 1",
        _ => throw ScimException.InvalidFilter($"meta.{sub?.Name} is not filterable."),
    };

    /// <summary>"schemas" is derived (core schema, plus an extension when its object is present).</summary>
    private string Schemas(CompareNode? compare)
    {
        if (compare is null)
        {
            return "1 = 1";
        }

        if (compare.Operator != CompareOperator.Eq || compare.Value.Kind != FilterValueKind.String)
        {
            throw ScimException.InvalidFilter("schemas supports only 'eq' with a schema URN.");
        }

        var urn = compare.Value.Text!;
        if (string.Equals(urn, _schema.CoreSchemaUrn, StringComparison.OrdinalIgnoreCase))
        {
            return "1 = 1";
        }

        return _schema.CanonicalExtensionUrn(urn) is { } extension
            ? _sql.JsonPresent("r.body", _parameters.Add(_sql.JsonPath([extension])))
            : "1 = 0";
    }

    private static string Constant(string actual, CompareNode? compare)
    {
        if (compare is null)
        {
            return "1 = 1";
        }

        var matches = compare.Operator switch
        {
            CompareOperator.Eq => string.Equals(actual, compare.Value.Text, StringComparison.OrdinalIgnoreCase),
            CompareOperator.Ne => !string.Equals(actual, compare.Value.Text, StringComparison.OrdinalIgnoreCase),
            _ => throw ScimException.InvalidFilter("meta.resourceType supports only 'eq' and 'ne'."),
        };
        return matches ? "1 = 1" : "1 = 0";
    }

    /// <summary>Attributes with their own indexed column (see migrations).</summary>
    private Operand? Column(AttributeDefinition attribute)
    {
        if (ReferenceEquals(attribute, CommonAttributes.Id))
        {
            return new Operand("r.id", attribute);
        }

        if (ReferenceEquals(attribute, CommonAttributes.ExternalId))
        {
            return new Operand("r.external_id", attribute);
        }

        return (_schema.Kind, attribute.Name) switch
        {
            (ScimResourceKind.User, "userName") when attribute.SchemaUrn == _schema.CoreSchemaUrn => new Operand("r.user_name_ci", attribute, Folded: true),
            (ScimResourceKind.User, "active") when attribute.SchemaUrn == _schema.CoreSchemaUrn => new Operand("r.active", attribute),
            (ScimResourceKind.Group, "displayName") when attribute.SchemaUrn == _schema.CoreSchemaUrn => new Operand("r.display_name_ci", attribute, Folded: true),
            _ => null,
        };
    }

    private string Leaf(Operand operand, CompareNode? compare)
    {
        var leaf = operand.Leaf;
        if (leaf.IsComplex)
        {
            throw ScimException.InvalidFilter($"'{leaf.Name}' is complex: compare one of its sub-attributes.");
        }

        var x = operand.Sql;
        if (compare is null)
        {
            return leaf.Type is AttributeType.String or AttributeType.Reference or AttributeType.Binary
                ? $"({x} IS NOT NULL AND {x} <> '')"
                : $"({x} IS NOT NULL)";
        }

        var value = compare.Value;
        if (value.Kind == FilterValueKind.Null)
        {
            return compare.Operator switch
            {
                CompareOperator.Eq => $"({x} IS NULL)",
                CompareOperator.Ne => $"({x} IS NOT NULL)",
                _ => throw ScimException.InvalidFilter($"'{compare.Operator}' cannot compare with null."),
            };
        }

        return leaf.Type switch
        {
            AttributeType.Boolean => BooleanLeaf(x, leaf, compare),
            AttributeType.Decimal or AttributeType.Integer => NumberLeaf(x, leaf, compare),
            AttributeType.DateTime => DateLeaf(x, leaf, compare),
            _ => StringLeaf(operand, compare),
        };
    }

    private string BooleanLeaf(string x, AttributeDefinition leaf, CompareNode compare)
    {
        // String booleans ("True") are what Entra sends elsewhere; accept them here too.
        bool expected = compare.Value.Kind switch
        {
            FilterValueKind.Boolean => compare.Value.Boolean,
            FilterValueKind.String when bool.TryParse(compare.Value.Text, out var parsed) => parsed,
            _ => throw ScimException.InvalidFilter($"'{leaf.Name}' is boolean: compare it with true or false."),
        };
        var isTrue = _sql.IsTrue(x);
        var equals = expected ? $"({x} IS NOT NULL AND {isTrue})" : $"({x} IS NOT NULL AND NOT {isTrue})";
        return compare.Operator switch
        {
            CompareOperator.Eq => equals,
            CompareOperator.Ne => $"(NOT {equals})",
            _ => throw ScimException.InvalidFilter($"'{leaf.Name}' is boolean: only eq, ne and pr apply."),
        };
    }

    private string NumberLeaf(string x, AttributeDefinition leaf, CompareNode compare)
    {
        if (compare.Value.Kind != FilterValueKind.Number)
        {
            throw ScimException.InvalidFilter($"'{leaf.Name}' is numeric: compare it with a number.");
        }

        var p = _parameters.Add(compare.Value.Number);
        var n = _sql.Numeric(x);
        return Ordered(n, p, compare, leaf);
    }

    private string DateLeaf(string x, AttributeDefinition leaf, CompareNode compare)
    {
        if (compare.Value.Kind != FilterValueKind.String
            || !DateTimeOffset.TryParse(compare.Value.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw ScimException.InvalidFilter($"'{leaf.Name}' is a dateTime: compare it with an xsd:dateTime string.");
        }

        // Stored times use one fixed-width UTC format, so text order is time order.
        var p = _parameters.Add(ResourceRepresentation.FormatTime(time));
        return Ordered(x, p, compare, leaf);
    }

    private string StringLeaf(Operand operand, CompareNode compare)
    {
        var leaf = operand.Leaf;
        var text = compare.Value.Kind switch
        {
            FilterValueKind.String => compare.Value.Text!,
            // The literal as written: `externalId eq 00123` means "00123", not 123.
            FilterValueKind.Number => compare.Value.Text ?? compare.Value.Number.ToString(CultureInfo.InvariantCulture),
            FilterValueKind.Boolean => compare.Value.Boolean ? "true" : "false",
            _ => string.Empty,
        };
        var x = operand.Sql;
        if (!leaf.CaseExact)
        {
            text = text.ToLowerInvariant();
            if (!operand.Folded)
            {
                x = _sql.Fold(x);
            }
        }

        if (compare.Operator is CompareOperator.Co or CompareOperator.Sw or CompareOperator.Ew && text.Length == 0)
        {
            return $"({x} IS NOT NULL)";
        }

        var p = _parameters.Add(text);
        return compare.Operator switch
        {
            CompareOperator.Co => $"({x} IS NOT NULL AND {_sql.Contains(x, p)})",
            CompareOperator.Sw => $"({x} IS NOT NULL AND {_sql.StartsWith(x, p)})",
            CompareOperator.Ew => $"({x} IS NOT NULL AND {_sql.EndsWith(x, p)})",
            _ => Ordered(x, p, compare, leaf),
        };
    }

    private static string Ordered(string x, string p, CompareNode compare, AttributeDefinition leaf) => compare.Operator switch
    {
        CompareOperator.Eq => $"({x} IS NOT NULL AND {x} = {p})",
        CompareOperator.Ne => $"({x} IS NULL OR {x} <> {p})",
        CompareOperator.Gt => $"({x} IS NOT NULL AND {x} > {p})",
        CompareOperator.Ge => $"({x} IS NOT NULL AND {x} >= {p})",
        CompareOperator.Lt => $"({x} IS NOT NULL AND {x} < {p})",
        CompareOperator.Le => $"({x} IS NOT NULL AND {x} <= {p})",
        _ => throw ScimException.InvalidFilter($"'{compare.Operator}' does not apply to '{leaf.Name}'."),
    };

    private string SortExpression(AttributePath path)
    {
        var resolved = _schema.Resolve(path)
            ?? throw ScimException.InvalidValue($"sortBy: '{path}' is not an attribute of {_schema.Kind}.");
        var attribute = resolved.Attribute;
        if (IsRelation(attribute))
        {
            throw ScimException.InvalidValue($"sortBy: '{path}' cannot be sorted on.");
        }

        if (ReferenceEquals(attribute, CommonAttributes.Meta))
        {
            return resolved.Sub?.Name switch
            {
                "created" => "r.created",
                "lastModified" => "r.last_modified",
                _ => "r.seq",
            };
        }

        if (Column(attribute) is { } column)
        {
            return column.Sql;
        }

        AttributeDefinition leaf;
        string expression;
        if (attribute.MultiValued)
        {
            // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else the first.
            leaf = resolved.Sub ?? attribute.FindSubAttribute("value") ?? throw ScimException.InvalidValue($"sortBy: '{path}' needs a sub-attribute.");
            var alias = NextAlias();
            var sub = _sql.JsonScalar($"{alias}.value", _parameters.Add(_sql.JsonPath([leaf.Name])));
            var primary = _sql.IsTrue(_sql.JsonScalar($"{alias}.value", _parameters.Add(_sql.JsonPath(["primary"]))));
            expression = $"(SELECT {sub} FROM {_sql.JsonElements("r.body", JsonPath(attribute), alias)} ORDER BY CASE WHEN {primary} THEN 0 ELSE 1 END LIMIT 1)";
        }
        else if (attribute.IsComplex)
        {
            leaf = resolved.Sub ?? attribute.FindSubAttribute("value") ?? throw ScimException.InvalidValue($"sortBy: '{path}' needs a sub-attribute.");
            expression = _sql.JsonScalar("r.body", JsonPath(attribute, leaf));
        }
        else
        {
            leaf = attribute;
            expression = _sql.JsonScalar("r.body", JsonPath(attribute));
        }

        return leaf.Type is AttributeType.String or AttributeType.Reference && !leaf.CaseExact ? _sql.Fold(expression) : expression;
    }

    private ResolvedPath Resolve(AttributePath path) =>
        _schema.Resolve(path) ?? throw ScimException.InvalidFilter($"'{path}' is not an attribute of {_schema.Kind}.");

    private string JsonPath(AttributeDefinition attribute, AttributeDefinition? sub = null)
    {
        var extension = attribute.SchemaUrn.Length > 0 && _schema.IsExtension(attribute.SchemaUrn);
        List<string> segments = extension ? [attribute.SchemaUrn, attribute.Name] : [attribute.Name];
        if (sub is not null)
        {
            segments.Add(sub.Name);
        }

        return _parameters.Add(_sql.JsonPath(segments));
    }

    private string NextAlias() => "e" + (_aliases++).ToString(CultureInfo.InvariantCulture);
}
