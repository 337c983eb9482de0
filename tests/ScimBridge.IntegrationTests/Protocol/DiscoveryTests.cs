using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §4 discovery endpoints, /Me and /Bulk (idp-clients.md E24 and §4 "Discovery").</summary>
public sealed class DiscoveryTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task ServiceProviderConfig_Get_AdvertisesWhatTheServerDoes()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, "ServiceProviderConfig");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ScimHttp.MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", (string?)body!["schemas"]![0]);
        Assert.True((bool)body["patch"]!["supported"]!);
        Assert.True((bool)body["filter"]!["supported"]!);
        Assert.Equal(1000, (int)body["filter"]!["maxResults"]!);
        Assert.True((bool)body["sort"]!["supported"]!);
        Assert.True((bool)body["etag"]!["supported"]!);
        Assert.False((bool)body["bulk"]!["supported"]!);
        Assert.Equal("ServiceProviderConfig", (string?)body["meta"]!["resourceType"]);
        Assert.StartsWith(_server.BaseAddress.ToString().TrimEnd('/'), (string?)body["meta"]!["location"], StringComparison.Ordinal);
        Assert.NotEmpty(body["authenticationSchemes"]!.AsArray());
    }

    [Fact]
    public async Task ServiceProviderConfig_ConfiguredMaxResults_Advertised()
    {
        await using var server = await ScimServer.StartAsync("--Scim:MaxResults=5");
        using var client = server.Client();
        var (response, body) = await client.SendAsync(HttpMethod.Get, "ServiceProviderConfig");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, (int)body!["filter"]!["maxResults"]!);
    }

    [Fact]
    public async Task ResourceTypes_Get_UserAndGroupListResponse()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, "ResourceTypes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string?)body!["schemas"]![0]);
        var resources = body["Resources"]!.AsArray();
        Assert.Equal(resources.Count, (int)body["totalResults"]!);
        Assert.Equal(["Group", "User"], resources.Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));
        var user = resources.Single(r => (string?)r!["id"] == "User")!;
        Assert.Equal("/Users", (string?)user["endpoint"]);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", (string?)user["schema"]);
        Assert.Contains(user["schemaExtensions"]!.AsArray(), e => (string?)e!["schema"] == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        Assert.All(resources, r => Assert.NotNull(r!["meta"]));

        var (single, singleBody) = await client.SendAsync(HttpMethod.Get, "ResourceTypes/Group");
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal("/Groups", (string?)singleBody!["endpoint"]);
        var (missing, missingBody) = await client.SendAsync(HttpMethod.Get, "ResourceTypes/Device");
        ScimHttp.AssertScimError(missing, missingBody, 404);
    }

    [Fact]
    public async Task Schemas_Get_UserGroupEnterpriseUserWithoutNulls()
    {
        using var client = await _server.ClientAsync();
        var (response, text) = await GetTextAsync(client, "Schemas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(":null", text.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string?)body["schemas"]![0]);
        var ids = body["Resources"]!.AsArray().Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            ids);
        Assert.Equal(3, (int)body["totalResults"]!);
        var user = body["Resources"]!.AsArray().Single(r => (string?)r!["id"] == "urn:ietf:params:scim:schemas:core:2.0:User")!;
        var userName = user["attributes"]!.AsArray().Single(a => (string?)a!["name"] == "userName")!;
        Assert.Equal("server", (string?)userName["uniqueness"]);
        Assert.Equal("string", (string?)userName["type"]);
        Assert.All(body["Resources"]!.AsArray(), r => Assert.NotNull(r!["meta"]));

        var (single, singleBody) = await client.SendAsync(HttpMethod.Get, "Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Contains(singleBody!["attributes"]!.AsArray(), a => (string?)a!["name"] == "manager");
        var (missing, missingBody) = await client.SendAsync(HttpMethod.Get, "Schemas/urn:nope");
        ScimHttp.AssertScimError(missing, missingBody, 404);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Me_AnyMethod_Scim501(string method)
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(new HttpMethod(method), "Me", method == "GET" ? null : new JsonObject());
        ScimHttp.AssertScimError(response, body, 501);
    }

    [Fact]
    public async Task Bulk_Post_Scim501()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Bulk", JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[]}"""));
        ScimHttp.AssertScimError(response, body, 501);
    }

    private static async Task<(HttpResponseMessage Response, string Text)> GetTextAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
