using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §3.4.2.5 on every response that carries a resource; id and schemas are always returned.</summary>
public sealed class AttributeSelectionTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private readonly ScimServer _server = fixture.Server;

    private static JsonObject NewUser(string userName) => JsonNode.Parse($$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{Enterprise}}"],
         "userName":"{{userName}}","displayName":"D","active":true,
         "name":{"givenName":"G","familyName":"F"},
         "emails":[{"type":"work","value":"{{userName}}","primary":true}],
         "{{Enterprise}}":{"department":"Eng","employeeNumber":"42"} }
        """)!.AsObject();

    [Fact]
    public async Task GetById_Attributes_OnlyThoseAndIdAndSchemas()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel1@x.com");
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}?attributes=userName,name.givenName");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOnly(body!, "userName", "name");
        Assert.Equal("G", (string?)body!["name"]!["givenName"]);
        Assert.Null(body["name"]!["familyName"]);
    }

    [Fact]
    public async Task GetById_ExcludedAttributes_DropsThoseOnly()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel2@x.com");
        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}?excludedAttributes=emails,name.familyName,id,schemas");
        Assert.Equal(id, (string?)body!["id"]);
        Assert.NotNull(body["schemas"]);
        Assert.Null(body["emails"]);
        Assert.Null(body["name"]!["familyName"]);
        Assert.Equal("G", (string?)body["name"]!["givenName"]);
        Assert.Equal("sel2@x.com", (string?)body["userName"]);
        Assert.NotNull(body["meta"]);
    }

    [Fact]
    public async Task GetById_UrnQualifiedAttributes_SelectsExtensionAttribute()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel3@x.com");
        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}?attributes={Enterprise}:department");
        AssertOnly(body!, Enterprise);
        Assert.Equal("Eng", (string?)body![Enterprise]!["department"]);
        Assert.Null(body[Enterprise]!["employeeNumber"]);

        (_, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}?attributes=urn:ietf:params:scim:schemas:core:2.0:User:userName");
        AssertOnly(body!, "userName");
    }

    [Fact]
    public async Task List_AttributesAndExcludedAttributes_AppliedToEveryResource()
    {
        using var client = await _server.ClientAsync();
        await CreateAsync(client, "sel4@x.com");
        await CreateAsync(client, "sel5@x.com");
        var (_, body) = await client.SendAsync(HttpMethod.Get, "Users?attributes=userName");
        Assert.Equal(2, body!["Resources"]!.AsArray().Count);
        Assert.All(body["Resources"]!.AsArray(), r => AssertOnly(r!, "userName"));

        (_, body) = await client.SendAsync(HttpMethod.Get, "Users?excludedAttributes=emails,name");
        Assert.All(body!["Resources"]!.AsArray(), r =>
        {
            Assert.Null(r!["emails"]);
            Assert.Null(r["name"]);
            Assert.NotNull(r["userName"]);
            Assert.NotNull(r["id"]);
        });
    }

    [Fact]
    public async Task Post_Attributes_ResponseProjectedButEverythingStored()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users?attributes=userName", NewUser("sel6@x.com"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertOnly(body!, "userName");
        Assert.NotNull(response.Headers.Location);

        var (_, stored) = await client.SendAsync(HttpMethod.Get, $"Users/{body!["id"]}");
        Assert.Equal("F", (string?)stored!["name"]!["familyName"]);
        Assert.Equal("Eng", (string?)stored[Enterprise]!["department"]);
    }

    [Fact]
    public async Task Put_ExcludedAttributes_ResponseProjected()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel7@x.com");
        var replacement = NewUser("sel7@x.com");
        replacement["displayName"] = "Replaced";
        var (response, body) = await client.SendAsync(HttpMethod.Put, $"Users/{id}?excludedAttributes=emails,{Enterprise}", replacement);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Replaced", (string?)body!["displayName"]);
        Assert.Null(body["emails"]);
        Assert.Null(body[Enterprise]);
        Assert.Equal(id, (string?)body["id"]);
    }

    [Fact]
    public async Task Patch_Attributes_UserAndGroupResponsesProjected()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel8@x.com");
        var (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Users/{id}?attributes=nickName", JsonNode.Parse("""{"Operations":[{"op":"add","path":"nickName","value":"Nick"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOnly(body!, "nickName");
        Assert.Equal("Nick", (string?)body!["nickName"]);

        var group = (string)(await client.CreateGroupAsync("Selected", id))["id"]!;
        (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Groups/{group}?excludedAttributes=members", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"displayName","value":"Selected 2"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Selected 2", (string?)body!["displayName"]);
        Assert.Null(body["members"]);
        Assert.Equal(group, (string?)body["id"]);
    }

    [Fact]
    public async Task GetGroup_AttributesMembersValue_OnlyMemberValues()
    {
        using var client = await _server.ClientAsync();
        var id = await CreateAsync(client, "sel9@x.com");
        var group = (string)(await client.CreateGroupAsync("Members only", id))["id"]!;
        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}?attributes=members.value");
        AssertOnly(body!, "members");
        var member = body!["members"]![0]!.AsObject();
        Assert.Equal(id, (string?)member["value"]);
        Assert.Null(member["display"]);

        (_, body) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}?attributes=displayName");
        AssertOnly(body!, "displayName");
    }

    private static async Task<string> CreateAsync(HttpClient client, string userName)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", NewUser(userName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)body!["id"]!;
    }

    private static void AssertOnly(JsonNode resource, params string[] names)
    {
        var keys = resource.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("id", keys);
        Assert.Contains("schemas", keys);
        keys.Remove("id");
        keys.Remove("schemas");
        Assert.Equal(names.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }
}
