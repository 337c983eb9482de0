using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Tests;

internal static class TestJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonNode? Node(string json) => JsonNode.Parse(json);

    /// <summary>Structural equality (property order ignored), with both documents in the failure message.</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        if (!JsonNode.DeepEquals(expectedNode, actual))
        {
            Assert.Fail($"JSON differs.\nExpected:\n{expectedNode?.ToJsonString(Indented)}\nActual:\n{actual?.ToJsonString(Indented)}");
        }
    }

    public static ScimException Throws(string scimType, Action action)
    {
        var exception = Assert.Throws<ScimException>(action);
        Assert.Equal(scimType, exception.ScimType);
        Assert.Equal(400, exception.Status);
        return exception;
    }
}
