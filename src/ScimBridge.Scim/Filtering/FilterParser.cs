using System.Globalization;
using System.Text;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 and the PATCH path grammar of §3.5.2.
/// Precedence, lowest first: <c>or</c>, <c>and</c>, <c>not</c>, then grouping and attribute expressions.
/// Keywords and operators are case-insensitive. Every failure is a <see cref="ScimException"/> with
/// scimType invalidFilter (or invalidPath for PATCH paths); no input makes it throw anything else.
/// </summary>
public sealed class FilterParser
{
    /// <summary>Deep enough for any real filter; stops "((((…" input from exhausting the stack.</summary>
    private const int MaxDepth = 32;

    private const int MaxLength = 8192;

    private readonly string _text;
    private readonly bool _forPath;
    private int _pos;

    private FilterParser(string text, bool forPath)
    {
        _text = text;
        _forPath = forPath;
    }

    public static FilterNode Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parser = new FilterParser(filter, forPath: false);
        parser.CheckLength();
        var node = parser.ParseOr(depth: 0, inValuePath: false);
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error($"unexpected '{parser.Rest()}'");
        }

        return node;
    }

    public static PatchPath ParsePatchPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parser = new FilterParser(path, forPath: true);
        parser.CheckLength();
        parser.SkipWhitespace();
        var attribute = parser.ReadAttributePath();
        FilterNode? filter = null;
        string? sub = null;
        if (parser.Peek() == '[')
        {
            parser._pos++;
            filter = parser.ParseOr(depth: 1, inValuePath: true);
            parser.SkipWhitespace();
            parser.Expect(']');
            if (parser.Peek() == '.')
            {
                parser._pos++;
                sub = parser.ReadName();
            }
        }

        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error($"unexpected '{parser.Rest()}'");
        }

        if (filter is not null && attribute.SubAttribute is not null)
        {
            throw parser.Error("a value filter applies to a multi-valued attribute, not to a sub-attribute");
        }

        return new PatchPath(attribute, filter, sub);
    }

    private bool AtEnd => _pos >= _text.Length;

    private void CheckLength()
    {
        if (_text.Length > MaxLength)
        {
            throw Error($"longer than {MaxLength} characters");
        }

        if (string.IsNullOrWhiteSpace(_text))
        {
            throw Error("empty");
        }
    }

    private FilterNode ParseOr(int depth, bool inValuePath)
    {
        var left = ParseAnd(depth, inValuePath);
        while (TryKeyword("or"))
        {
            left = new OrNode(left, ParseAnd(depth, inValuePath));
        }

        return left;
    }

    private FilterNode ParseAnd(int depth, bool inValuePath)
    {
        var left = ParseNot(depth, inValuePath);
        while (TryKeyword("and"))
        {
            left = new AndNode(left, ParseNot(depth, inValuePath));
        }

        return left;
    }

    private FilterNode ParseNot(int depth, bool inValuePath)
    {
        if (TryKeyword("not"))
        {
            SkipWhitespace();
            if (Peek() != '(')
            {
                throw Error("'not' must be followed by a parenthesised filter");
            }

            return new NotNode(ParsePrimary(depth + 1, inValuePath));
        }

        return ParsePrimary(depth, inValuePath);
    }

    private FilterNode ParsePrimary(int depth, bool inValuePath)
    {
        if (depth > MaxDepth)
        {
            throw Error($"nested more than {MaxDepth} levels deep");
        }

        SkipWhitespace();
        if (Peek() == '(')
        {
            _pos++;
            var inner = ParseOr(depth + 1, inValuePath);
            SkipWhitespace();
            Expect(')');
            return inner;
        }

        var path = ReadAttributePath();
        if (Peek() == '[')
        {
            if (inValuePath)
            {
                throw Error("value filters cannot be nested");
            }

            if (path.SubAttribute is not null)
            {
                throw Error("a value filter applies to a multi-valued attribute, not to a sub-attribute");
            }

            _pos++;
            var filter = ParseOr(depth + 1, inValuePath: true);
            SkipWhitespace();
            Expect(']');
            return new ValuePathNode(path, filter);
        }

        SkipWhitespace();
        var op = ReadWord();
        if (op.Length == 0)
        {
            throw Error(AtEnd ? $"an operator is missing after '{path}'" : $"expected an operator after '{path}'");
        }

        if (op.Equals("pr", StringComparison.OrdinalIgnoreCase))
        {
            return new PresentNode(path);
        }

        var compare = ParseOperator(op) ?? throw Error($"unknown operator '{op}'");
        SkipWhitespace();
        return new CompareNode(path, compare, ReadValue());
    }

    private static CompareOperator? ParseOperator(string word) => word.ToUpperInvariant() switch
    {
        "EQ" => CompareOperator.Eq,
        "NE" => CompareOperator.Ne,
        "CO" => CompareOperator.Co,
        "SW" => CompareOperator.Sw,
        "EW" => CompareOperator.Ew,
        "GT" => CompareOperator.Gt,
        "GE" => CompareOperator.Ge,
        "LT" => CompareOperator.Lt,
        "LE" => CompareOperator.Le,
        _ => null,
    };

    private FilterValue ReadValue()
    {
        if (AtEnd)
        {
            throw Error("a comparison value is missing");
        }

        if (Peek() == '"')
        {
            return FilterValue.FromString(ReadString());
        }

        // A bare token: a JSON literal or number, or (leniently) an unquoted string. RFC 7644 requires JSON
        // literals, but Entra's own documentation shows `externalId eq jyoung` and Microsoft's reference
        // collection sends `userName sw O` and an unquoted dateTime, so unquoted words are read as strings.
        var start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not (')' or ']' or '(' or '[' or '"'))
        {
            _pos++;
        }

        var token = _text[start.._pos];
        if (token.Length == 0)
        {
            throw Error("a comparison value is missing");
        }

        if (token.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return FilterValue.FromBoolean(true);
        }

        if (token.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return FilterValue.FromBoolean(false);
        }

        if (token.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return FilterValue.Null;
        }

        if ((char.IsAsciiDigit(token[0]) || token[0] == '-')
            && decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            // Keep the token as written: compared with a string attribute, an unquoted `externalId eq 00123`
            // must mean "00123", not "123".
            return new FilterValue(FilterValueKind.Number, token, false, number);
        }

        return FilterValue.FromString(token);
    }

    private string ReadString()
    {
        Expect('"');
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (AtEnd)
            {
                throw Error("unterminated escape in string");
            }

            var escaped = _text[_pos++];
            switch (escaped)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length
                        || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("invalid \\u escape in string");
                    }

                    builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error($"invalid escape '\\{escaped}' in string");
            }
        }
    }

    private AttributePath ReadAttributePath()
    {
        SkipWhitespace();
        var start = _pos;
        while (!AtEnd && IsPathChar(_text[_pos]))
        {
            _pos++;
        }

        var token = _text[start.._pos];
        if (token.Length == 0)
        {
            throw Error(AtEnd ? "an attribute name is missing" : $"expected an attribute name at '{Rest()}'");
        }

        var path = AttributePath.Parse(token);
        if (!IsValidName(path.Name) || (path.SubAttribute is not null && !IsValidName(path.SubAttribute)))
        {
            throw Error($"'{token}' is not a valid attribute path");
        }

        return path;
    }

    private string ReadName()
    {
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '-' or '$'))
        {
            _pos++;
        }

        var name = _text[start.._pos];
        if (!IsValidName(name))
        {
            throw Error("expected a sub-attribute name after '.'");
        }

        return name;
    }

    private string ReadWord()
    {
        var start = _pos;
        while (!AtEnd && char.IsAsciiLetter(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private bool TryKeyword(string keyword)
    {
        var save = _pos;
        SkipWhitespace();
        if (_pos + keyword.Length <= _text.Length
            && string.Compare(_text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0)
        {
            var end = _pos + keyword.Length;
            if (end == _text.Length || char.IsWhiteSpace(_text[end]) || _text[end] == '(')
            {
                _pos = end;
                return true;
            }
        }

        _pos = save;
        return false;
    }

    // ATTRNAME = ALPHA *(nameChar); "$ref" is the one name starting with '$' (RFC 7643 §2.1, §7).
    private static bool IsValidName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name.Equals("$ref", StringComparison.Ordinal))
        && name.AsSpan(1).IndexOfAnyExcept(NameChars) < 0;

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$' or ':' or '.';

    private char Peek() => AtEnd ? '\0' : _text[_pos];

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error(AtEnd ? $"expected '{c}' but the input ended" : $"expected '{c}' at '{Rest()}'");
        }

        _pos++;
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private string Rest() => _text.Length - _pos > 20 ? string.Concat(_text.AsSpan(_pos, 20), "…") : _text[_pos..];

    private ScimException Error(string what)
    {
        var message = $"{(_forPath ? "Invalid path" : "Invalid filter")} at position {_pos + 1}: {what}.";
        return _forPath ? ScimException.InvalidPath(message) : ScimException.InvalidFilter(message);
    }
}
