using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Patching;

/// <summary>
/// Evaluates a value filter (the part between <c>[</c> and <c>]</c> of a PATCH path) on one element of a multi-valued
/// complex attribute, in memory. Names are relative to the element; comparison follows each sub-attribute's type and
/// caseExact (RFC 7644 §3.4.2.2). Never throws: a value of the wrong type simply does not match.
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode filter, JsonObject element, AttributeDefinition attribute)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(attribute);
        return Evaluate(filter, element, attribute);
    }


    /// <summary>Rejects a value filter that names something other than a sub-attribute of <paramref name="attribute"/>.</summary>
    internal static void Validate(FilterNode filter, AttributeDefinition attribute, string path)
    {
        switch (filter)
        {
            case AndNode and:
                Validate(and.Left, attribute, path);
                Validate(and.Right, attribute, path);
                break;
            case OrNode or:
                Validate(or.Left, attribute, path);
                Validate(or.Right, attribute, path);
                break;
            case NotNode not:
                Validate(not.Inner, attribute, path);
                break;
            case PresentNode present when ResourceSchema.ResolveRelative(attribute, present.Path) is not null:
            case CompareNode compare when ResourceSchema.ResolveRelative(attribute, compare.Path) is not null:
                break;
            default:
                throw ScimException.InvalidPath(
                    $"Path '{path}': the filter may only name sub-attributes of '{attribute.Name}'.");
        }
    }

    private static bool Evaluate(FilterNode filter, JsonObject element, AttributeDefinition attribute) => filter switch
    {
        AndNode and => Evaluate(and.Left, element, attribute) && Evaluate(and.Right, element, attribute),
        OrNode or => Evaluate(or.Left, element, attribute) || Evaluate(or.Right, element, attribute),
        NotNode not => !Evaluate(not.Inner, element, attribute),
        PresentNode present => ResourceSchema.ResolveRelative(attribute, present.Path) is { } sub
            && !ValueNormalizer.IsEmpty(StoredBody.Property(element, sub.Name)),
        CompareNode compare => ResourceSchema.ResolveRelative(attribute, compare.Path) is { } sub
            && Compare(compare, StoredBody.Property(element, sub.Name), sub),
        _ => false,
    };

    private static bool Compare(CompareNode compare, JsonNode? actual, AttributeDefinition sub)
    {
        var present = !ValueNormalizer.IsEmpty(actual);
        if (compare.Value.Kind == FilterValueKind.Null)
        {
            return compare.Operator switch
            {
                CompareOperator.Eq => !present,
                CompareOperator.Ne => present,
                _ => false,
            };
        }

        if (!present || actual is not JsonValue value)
        {
            return compare.Operator == CompareOperator.Ne;
        }

        return sub.Type switch
        {
            AttributeType.Boolean => CompareBoolean(compare, value),
            AttributeType.Integer or AttributeType.Decimal => CompareNumber(compare, value),
            AttributeType.DateTime => CompareDateTime(compare, value),
            _ => CompareText(compare, value, sub.CaseExact),
        };
    }

    private static bool CompareBoolean(CompareNode compare, JsonValue value)
    {
        if (!TryBoolean(value, out var actual) || !TryBoolean(compare.Value, out var expected))
        {
            return compare.Operator == CompareOperator.Ne;
        }

        return compare.Operator switch
        {
            CompareOperator.Eq => actual == expected,
            CompareOperator.Ne => actual != expected,
            _ => false,
        };
    }

    private static bool CompareNumber(CompareNode compare, JsonValue value)
    {
        if (!TryNumber(value, out var actual) || !TryNumber(compare.Value, out var expected))
        {
            return compare.Operator == CompareOperator.Ne;
        }

        return Ordered(compare.Operator, actual.CompareTo(expected));
    }

    private static bool CompareDateTime(CompareNode compare, JsonValue value)
    {
        if (!ValueNormalizer.TryGetString(value, out var actualText)
            || !DateTimeOffset.TryParse(actualText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var actual)
            || !DateTimeOffset.TryParse(compare.Value.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expected))
        {
            return compare.Operator == CompareOperator.Ne;
        }

        return Ordered(compare.Operator, actual.CompareTo(expected));
    }

    private static bool CompareText(CompareNode compare, JsonValue value, bool caseExact)
    {
        var actual = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (actual is null)
        {
            return compare.Operator == CompareOperator.Ne;
        }

        var expected = compare.Value.Kind switch
        {
            FilterValueKind.Boolean => compare.Value.Boolean ? "true" : "false",
            FilterValueKind.Number => compare.Value.Text ?? compare.Value.Number.ToString(CultureInfo.InvariantCulture),
            _ => compare.Value.Text ?? string.Empty,
        };
        var comparison = caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return compare.Operator switch
        {
            CompareOperator.Eq => string.Equals(actual, expected, comparison),
            CompareOperator.Ne => !string.Equals(actual, expected, comparison),
            CompareOperator.Co => actual.Contains(expected, comparison),
            CompareOperator.Sw => actual.StartsWith(expected, comparison),
            CompareOperator.Ew => actual.EndsWith(expected, comparison),
            _ => Ordered(compare.Operator, string.Compare(actual, expected, comparison)),
        };
    }

    private static bool Ordered(CompareOperator op, int order) => op switch
    {
        CompareOperator.Eq => order == 0,
        CompareOperator.Ne => order != 0,
        CompareOperator.Gt => order > 0,
        CompareOperator.Ge => order >= 0,
        CompareOperator.Lt => order < 0,
        CompareOperator.Le => order <= 0,
        _ => false,
    };

    private static bool TryBoolean(JsonValue value, out bool result)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                result = false;
                return true;
            case JsonValueKind.String:
                return bool.TryParse(value.GetValue<string>(), out result);
            default:
                result = false;
                return false;
        }
    }

    private static bool TryBoolean(FilterValue value, out bool result)
    {
        if (value.Kind == FilterValueKind.Boolean)
        {
            result = value.Boolean;
            return true;
        }

        result = false;
        return value.Kind == FilterValueKind.String && bool.TryParse(value.Text, out result);
    }

    private static bool TryNumber(JsonValue value, out decimal result)
    {
        // Parse the JSON text: a JsonValue built from an int or long does not convert to decimal by itself.
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
    }

    private static bool TryNumber(FilterValue value, out decimal result)
    {
        result = value.Number;
        return value.Kind == FilterValueKind.Number
            || (value.Kind == FilterValueKind.String
                && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out result));
    }
}
