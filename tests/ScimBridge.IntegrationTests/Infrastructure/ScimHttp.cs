using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimBridge.IntegrationTests.Infrastructure;

public static class ScimHttp
{
    public const string MediaType = "application/scim+json";

    public static StringContent Json(JsonNode body, string mediaType = MediaType) =>
        new(body.ToJsonString(), Encoding.UTF8, mediaType);

    public static StringContent Json(string body, string mediaType = MediaType) =>
        new(body, Encoding.UTF8, mediaType);

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonObject> CreateUserAsync(this HttpClient client, string userName, JsonObject? extra = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = true,
        };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        var (response, json) = await client.SendAsync(HttpMethod.Post, "Users", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return json!.AsObject();
    }

    public static async Task<JsonObject> CreateGroupAsync(this HttpClient client, string displayName, params string[] memberIds)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray([.. memberIds.Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
        };
        var (response, json) = await client.SendAsync(HttpMethod.Post, "Groups", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return json!.AsObject();
    }

    public static void AssertScimError(HttpResponseMessage response, JsonNode? body, int status, string? scimType = null)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(body);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)body["schemas"]![0]);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)body["status"]);
        if (scimType is not null)
        {
            Assert.Equal(scimType, (string?)body["scimType"]);
        }
    }

    public static MediaTypeHeaderValue ScimMediaType => new(MediaType);
}
