using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public sealed class FilterParserTests
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static AttributePath P(string name, string? sub = null, string? urn = null) => new(urn, name, sub);

    private static CompareNode Eq(string name, string text) => new(P(name), CompareOperator.Eq, FilterValue.FromString(text));

    [Fact]
    public void Parse_SimpleEquality_ReturnsCompareNode()
    {
        Assert.Equal(Eq("userName", "bjensen"), FilterParser.Parse("userName eq \"bjensen\""));
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var filter = FilterParser.Parse("a eq \"1\" or b eq \"2\" and c eq \"3\"");

        Assert.Equal(new OrNode(Eq("a", "1"), new AndNode(Eq("b", "2"), Eq("c", "3"))), filter);
    }

    [Fact]
    public void Parse_AndOrChains_AreLeftAssociative()
    {
        Assert.Equal(
            new OrNode(new OrNode(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")),
            FilterParser.Parse("a eq \"1\" or b eq \"2\" or c eq \"3\""));
        Assert.Equal(
            new AndNode(new AndNode(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")),
            FilterParser.Parse("a eq \"1\" and b eq \"2\" and c eq \"3\""));
    }

    [Fact]
    public void Parse_Grouping_OverridesPrecedence()
    {
        var filter = FilterParser.Parse("(a eq \"1\" or b eq \"2\") and c eq \"3\"");

        Assert.Equal(new AndNode(new OrNode(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")), filter);
    }

    [Fact]
    public void Parse_DocExampleWithNestedGroup_ParsesShape()
    {
        var filter = FilterParser.Parse("name.familyName eq \"x\" and (emails.value co \"a\" or emails.value co \"b\")");

        var and = Assert.IsType<AndNode>(filter);
        Assert.Equal(P("name", "familyName"), Assert.IsType<CompareNode>(and.Left).Path);
        var or = Assert.IsType<OrNode>(and.Right);
        Assert.Equal(new CompareNode(P("emails", "value"), CompareOperator.Co, FilterValue.FromString("a")), or.Left);
    }

    [Fact]
    public void Parse_Not_WrapsParenthesisedFilter()
    {
        var filter = FilterParser.Parse("not (active eq true)");

        Assert.Equal(new NotNode(new CompareNode(P("active"), CompareOperator.Eq, FilterValue.FromBoolean(true))), filter);
    }

    [Fact]
    public void Parse_NotBindsTighterThanAnd()
    {
        var filter = FilterParser.Parse("not(a eq \"1\") and b eq \"2\"");

        Assert.Equal(new AndNode(new NotNode(Eq("a", "1")), Eq("b", "2")), filter);
    }

    [Fact]
    public void Parse_NotWithoutParentheses_IsInvalidFilter()
    {
        TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse("not active eq true"));
    }

    [Theory]
    [InlineData("userName Eq \"x\"")]
    [InlineData("userName EQ \"x\"")]
    [InlineData("UserName eq \"x\"")]
    public void Parse_OperatorsAndNamesInAnyCase_Parse(string text)
    {
        var compare = Assert.IsType<CompareNode>(FilterParser.Parse(text));

        Assert.Equal(CompareOperator.Eq, compare.Operator);
        Assert.Equal("userName", compare.Path.Name, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_KeywordsInAnyCase_Parse()
    {
        var filter = FilterParser.Parse("a eq \"1\" AND b eq \"2\" Or NOT (c pr)");

        Assert.IsType<OrNode>(filter);
    }

    [Theory]
    [InlineData("eq", CompareOperator.Eq)]
    [InlineData("ne", CompareOperator.Ne)]
    [InlineData("co", CompareOperator.Co)]
    [InlineData("sw", CompareOperator.Sw)]
    [InlineData("ew", CompareOperator.Ew)]
    [InlineData("gt", CompareOperator.Gt)]
    [InlineData("ge", CompareOperator.Ge)]
    [InlineData("lt", CompareOperator.Lt)]
    [InlineData("le", CompareOperator.Le)]
    public void Parse_EveryOperator_IsRecognised(string op, CompareOperator expected)
    {
        Assert.Equal(expected, Assert.IsType<CompareNode>(FilterParser.Parse($"title {op} \"x\"")).Operator);
    }

    [Fact]
    public void Parse_Present_ReturnsPresentNode()
    {
        Assert.Equal(new PresentNode(P("title")), FilterParser.Parse("title pr"));
        Assert.Equal(new PresentNode(P("title")), FilterParser.Parse("  title   PR  "));
    }

    [Fact]
    public void Parse_MetaLastModifiedGreaterThan_KeepsDateAsString()
    {
        var compare = Assert.IsType<CompareNode>(FilterParser.Parse("meta.lastModified gt \"2024-01-01T00:00:00Z\""));

        Assert.Equal(P("meta", "lastModified"), compare.Path);
        Assert.Equal(CompareOperator.Gt, compare.Operator);
        Assert.Equal(FilterValue.FromString("2024-01-01T00:00:00Z"), compare.Value);
    }

    [Fact]
    public void Parse_ValuePathWithAnd_ReturnsValuePathNode()
    {
        var filter = FilterParser.Parse("emails[type eq \"work\" and value ew \"@x.com\"]");

        Assert.Equal(
            new ValuePathNode(P("emails"), new AndNode(Eq("type", "work"), new CompareNode(P("value"), CompareOperator.Ew, FilterValue.FromString("@x.com")))),
            filter);
    }

    [Fact]
    public void Parse_ValuePathCombinedWithOtherTerms_Parses()
    {
        var filter = FilterParser.Parse("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\"]");

        var or = Assert.IsType<OrNode>(filter);
        Assert.IsType<ValuePathNode>(Assert.IsType<AndNode>(or.Left).Right);
        Assert.IsType<ValuePathNode>(or.Right);
    }

    [Fact]
    public void Parse_UrnQualifiedAttribute_SplitsSchemaAndName()
    {
        var compare = Assert.IsType<CompareNode>(FilterParser.Parse($"{Enterprise}:department eq \"Eng\""));

        Assert.Equal(P("department", urn: Enterprise), compare.Path);
        Assert.Equal(FilterValue.FromString("Eng"), compare.Value);
    }

    [Fact]
    public void Parse_UrnQualifiedSubAttribute_SplitsAllThree()
    {
        var compare = Assert.IsType<CompareNode>(FilterParser.Parse($"{Enterprise}:manager.value eq \"M\""));

        Assert.Equal(P("manager", "value", Enterprise), compare.Path);
    }

    [Theory]
    [InlineData("""title eq "a\"b" """, "a\"b")]
    [InlineData("""title eq "back\\slash" """, "back\\slash")]
    [InlineData("""title eq "tab\tnew\nline" """, "tab\tnew\nline")]
    [InlineData("""title eq "\u00e9t\u00E9" """, "été")]
    [InlineData("""title eq "a\/b" """, "a/b")]
    [InlineData("""title eq "" """, "")]
    [InlineData("""title eq "a and b or not (c)" """, "a and b or not (c)")]
    [InlineData("""title eq "brackets ] [ inside" """, "brackets ] [ inside")]
    public void Parse_StringEscapes_AreDecoded(string text, string expected)
    {
        Assert.Equal(FilterValue.FromString(expected), Assert.IsType<CompareNode>(FilterParser.Parse(text)).Value);
    }

    [Fact]
    public void Parse_UnquotedLegacyValue_IsReadAsString()
    {
        // Entra's old documentation example (idp-clients.md E2).
        Assert.Equal(Eq("externalId", "jyoung"), FilterParser.Parse("externalId eq jyoung"));
    }

    [Fact]
    public void Parse_UnquotedNumber_KeepsTokenAndNumber()
    {
        var value = Assert.IsType<CompareNode>(FilterParser.Parse("externalId eq 00123")).Value;

        Assert.Equal(FilterValueKind.Number, value.Kind);
        Assert.Equal(123m, value.Number);
        Assert.Equal("00123", value.Text);
    }

    [Theory]
    [InlineData("active eq true", FilterValueKind.Boolean)]
    [InlineData("active eq False", FilterValueKind.Boolean)]
    [InlineData("title eq null", FilterValueKind.Null)]
    [InlineData("x.y gt -1.5e2", FilterValueKind.Number)]
    public void Parse_JsonLiterals_HaveTheirKind(string text, FilterValueKind kind)
    {
        Assert.Equal(kind, Assert.IsType<CompareNode>(FilterParser.Parse(text)).Value.Kind);
    }

    [Theory]
    [InlineData("userName eq \"unterminated")]
    [InlineData("userName eq \"bad escape \\q\"")]
    [InlineData("userName eq \"bad unicode \\u12\"")]
    [InlineData("userName \"x\"")]
    [InlineData("userName")]
    [InlineData("userName eq")]
    [InlineData("userName like \"x\"")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails[type eq \"work\" and ims[type eq \"x\"]]")]
    [InlineData("emails.value[type eq \"work\"]")]
    [InlineData("(userName eq \"x\"")]
    [InlineData("userName eq \"x\")")]
    [InlineData("userName eq \"x\" and")]
    [InlineData("userName eq \"x\" or or title pr")]
    [InlineData("and title pr")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1abc eq \"x\"")]
    [InlineData("user name eq \"x\"")]
    [InlineData("title pr extra")]
    [InlineData("()")]
    [InlineData("title eq \"x\" title eq \"y\"")]
    public void Parse_MalformedFilter_IsInvalidFilter(string text)
    {
        TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse(text));
    }

    [Fact]
    public void Parse_ThousandOpeningParentheses_IsInvalidFilterNotStackOverflow()
    {
        TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse(new string('(', 1000) + "a pr" + new string(')', 1000)));
        TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse(string.Concat(Enumerable.Repeat("not (", 1000)) + "a pr"));
    }

    [Fact]
    public void Parse_ModeratelyNestedGroups_Parse()
    {
        var filter = FilterParser.Parse(new string('(', 20) + "a pr" + new string(')', 20));

        Assert.Equal(new PresentNode(P("a")), filter);
    }

    [Fact]
    public void Parse_OverlongFilter_IsInvalidFilter()
    {
        TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse("title eq \"" + new string('x', 9000) + "\""));
    }

    [Fact]
    public void Parse_ErrorDetail_SaysWhereAndWhat()
    {
        var exception = TestJson.Throws(ScimType.InvalidFilter, () => FilterParser.Parse("userName eq \"x"));

        Assert.Contains("unterminated string", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePatchPath_ValuePathWithSubAttribute_ReturnsAllParts()
    {
        var path = PatchPath.Parse("emails[type eq \"work\"].value");

        Assert.Equal(P("emails"), path.Attribute);
        Assert.Equal(Eq("type", "work"), path.ValueFilter);
        Assert.Equal("value", path.SubAttribute);
    }

    [Fact]
    public void ParsePatchPath_MembersValueFilter_HasNoSubAttribute()
    {
        var path = PatchPath.Parse("members[value eq \"u1\"]");

        Assert.Equal(P("members"), path.Attribute);
        Assert.Equal(Eq("value", "u1"), path.ValueFilter);
        Assert.Null(path.SubAttribute);
    }

    [Theory]
    [InlineData("userName", null, "userName", null)]
    [InlineData("name.familyName", null, "name", "familyName")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", Enterprise, "employeeNumber", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", Enterprise, "manager", "value")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0", "User", null)]
    [InlineData("members.$ref", null, "members", "$ref")]
    public void ParsePatchPath_AttributePaths_SplitIntoParts(string text, string? urn, string name, string? sub)
    {
        var path = PatchPath.Parse(text);

        Assert.Equal(P(name, sub, urn), path.Attribute);
        Assert.Null(path.ValueFilter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("emails[")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails[type eq \"work\"].")]
    [InlineData("emails[type eq \"work\"]value")]
    [InlineData("emails[type eq \"work\"][value pr]")]
    [InlineData("emails.value[type eq \"work\"]")]
    [InlineData("emails[ims[type eq \"x\"]]")]
    [InlineData("emails[]")]
    [InlineData("user name")]
    [InlineData("1abc")]
    [InlineData("emails[type eq \"work\"].1x")]
    [InlineData("emails[type zz \"work\"]")]
    public void ParsePatchPath_Malformed_IsInvalidPath(string text)
    {
        TestJson.Throws(ScimType.InvalidPath, () => PatchPath.Parse(text));
    }
}
