using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;

namespace ScimBridge.Scim.Tests.Patching;

public sealed class PatchRequestTests
{
    private static IReadOnlyList<PatchOperation> Parse(string json) => PatchRequest.Parse(JsonNode.Parse(json), IdpDialect.Generic);

    [Fact]
    public void Parse_EmptyOperations_ReturnsNoOperations()
    {
        Assert.Empty(Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}"""));
    }

    [Fact]
    public void Parse_CapitalisedOpsAndLowerCaseOperationsKeyWithoutSchemas_Accepted()
    {
        var operations = Parse("""{"operations":[{"op":"Add","path":"nickName","value":"a"},{"op":"REPLACE","value":{"title":"t"}},{"Op":"Remove","Path":"title"}]}""");

        Assert.Equal([PatchOperationType.Add, PatchOperationType.Replace, PatchOperationType.Remove], operations.Select(o => o.Op));
        Assert.Equal(["nickName", null, "title"], operations.Select(o => o.Path));
        Assert.Equal("a", (string?)operations[0].Value);
    }

    [Fact]
    public void Parse_ValueIsDetachedFromTheRequest()
    {
        var body = JsonNode.Parse("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"a@b"}]}]}""");

        var operation = Assert.Single(PatchRequest.Parse(body, IdpDialect.Entra));

        Assert.Null(operation.Value!.Parent);
    }

    [Fact]
    public void Parse_NullValueForReplace_IsKeptAsNull()
    {
        var operation = Assert.Single(Parse("""{"Operations":[{"op":"replace","path":"nickName","value":null}]}"""));

        Assert.Null(operation.Value);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"replace","path":"","value":{"title":"t"}}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","path":null,"value":{"title":"t"}}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","path":"  ","value":{"title":"t"}}]}""")]
    public void Parse_EmptyOrNullPath_MeansNoPath(string json)
    {
        Assert.Null(Assert.Single(Parse(json)).Path);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"Operations\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""")]
    [InlineData("""{"Operations":{"op":"add"}}""")]
    [InlineData("""{"Operations":["add"]}""")]
    [InlineData("""{"Operations":[{"path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":"merge","path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":1,"path":"title","value":"x"}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[]}""")]
    public void Parse_MalformedMessage_IsInvalidSyntax(string json)
    {
        TestJson.Throws(ScimType.InvalidSyntax, () => PatchRequest.Parse(json == "null" ? null : JsonNode.Parse(json), IdpDialect.Generic));
    }

    [Fact]
    public void Parse_RemoveWithoutPath_IsNoTarget()
    {
        TestJson.Throws(ScimType.NoTarget, () => Parse("""{"Operations":[{"op":"remove","value":{"title":"x"}}]}"""));
    }

    [Theory]
    [InlineData("add")]
    [InlineData("replace")]
    public void Parse_AddOrReplaceWithoutValue_IsInvalidValue(string op)
    {
        TestJson.Throws(ScimType.InvalidValue, () => Parse($$"""{"Operations":[{"op":"{{op}}","path":"title"}]}"""));
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"remove","path":"emails[type eq \"work\""}]}""")]
    [InlineData("""{"Operations":[{"op":"remove","path":"emails[type eq]"}]}""")]
    [InlineData("""{"Operations":[{"op":"remove","path":"1abc"}]}""")]
    [InlineData("""{"Operations":[{"op":"remove","path":42}]}""")]
    public void Parse_BadPath_IsInvalidPathBeforeAnythingIsApplied(string json)
    {
        TestJson.Throws(ScimType.InvalidPath, () => Parse(json));
    }
}
