using System.Text.Json.Nodes;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Tests.Patching;

public sealed class FilterEvaluatorTests
{
    private static readonly AttributeDefinition Emails =
        SchemaRegistry.Instance.User.Resolve(new AttributePath(null, "emails", null))!.Attribute;

    private static readonly AttributeDefinition Scores = new()
    {
        Name = "scores", Type = AttributeType.Complex, MultiValued = true, SchemaUrn = "urn:test",
        SubAttributes =
        [
            new() { Name = "points", Type = AttributeType.Integer, SchemaUrn = "urn:test" },
            new() { Name = "at", Type = AttributeType.DateTime, SchemaUrn = "urn:test" },
            new() { Name = "code", Type = AttributeType.String, CaseExact = true, SchemaUrn = "urn:test" },
        ],
    };

    private static bool Matches(string filter, string element, AttributeDefinition? attribute = null) =>
        FilterEvaluator.Matches(FilterParser.Parse(filter), JsonNode.Parse(element)!.AsObject(), attribute ?? Emails);

    [Theory]
    [InlineData("type eq \"WORK\"", true)]
    [InlineData("type ne \"work\"", false)]
    [InlineData("value co \"EXAMPLE\"", true)]
    [InlineData("value sw \"b\"", true)]
    [InlineData("value ew \".com\"", true)]
    [InlineData("value gt \"a\"", true)]
    [InlineData("value lt \"a\"", false)]
    [InlineData("primary eq true", true)]
    [InlineData("primary eq \"True\"", true)]
    [InlineData("primary ne true", false)]
    [InlineData("display pr", false)]
    [InlineData("display eq null", true)]
    [InlineData("display ne \"x\"", true)]
    [InlineData("display co \"x\"", false)]
    [InlineData("type pr and not (display pr)", true)]
    [InlineData("type eq \"home\" or value ew \"example.com\"", true)]
    [InlineData("colour eq \"red\"", false)]
    public void Matches_EmailElement_FollowsOperatorAndCaseExact(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(filter, """{ "value": "b@example.com", "type": "work", "primary": true }"""));
    }

    [Theory]
    [InlineData("points gt 5", true)]
    [InlineData("points le 10", true)]
    [InlineData("points eq \"10\"", true)]
    [InlineData("points lt 10", false)]
    [InlineData("at gt \"2024-01-01T00:00:00Z\"", true)]
    [InlineData("at lt \"2024-06-01T12:00:00+02:00\"", false)]
    [InlineData("at eq \"2024-06-01T10:00:00Z\"", true)]
    [InlineData("code eq \"abc\"", true)]
    [InlineData("code eq \"ABC\"", false)]
    [InlineData("code gt 1", true)]
    public void Matches_TypedSubAttributes_CompareByType(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(filter, """{ "points": 10, "at": "2024-06-01T10:00:00Z", "code": "abc" }""", Scores));
    }

    [Fact]
    public void Matches_WrongStoredType_DoesNotMatchAndDoesNotThrow()
    {
        Assert.False(Matches("points gt 5", """{ "points": "many" }""", Scores));
        Assert.True(Matches("points ne 5", """{ "points": "many" }""", Scores));
        Assert.False(Matches("primary eq true", """{ "primary": { "a": 1 } }"""));
    }
}
