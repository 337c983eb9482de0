using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>userName and Group displayName are unique per connection (case-insensitively); externalId is not.</summary>
public sealed class UniquenessTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Theory]
    [InlineData("dup@x.com", "dup@x.com")]
    [InlineData("Dup@X.com", "dUP@x.COM")]
    public async Task PostUser_UserNameTakenAnyCase_Scim409Uniqueness(string first, string second)
    {
        using var client = await _server.ClientAsync();
        await client.CreateUserAsync(first);
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", User(second));
        ScimHttp.AssertScimError(response, body, 409, "uniqueness");
    }

    [Fact]
    public async Task PatchAndPutUser_UserNameOfAnother_Scim409AndUnchanged()
    {
        using var client = await _server.ClientAsync();
        await client.CreateUserAsync("taken@x.com");
        var other = (string)(await client.CreateUserAsync("free@x.com"))["id"]!;

        var (patch, patchBody) = await client.SendAsync(
            HttpMethod.Patch, $"Users/{other}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"userName","value":"TAKEN@x.com"}]}"""));
        ScimHttp.AssertScimError(patch, patchBody, 409, "uniqueness");

        var (put, putBody) = await client.SendAsync(HttpMethod.Put, $"Users/{other}", User("Taken@X.com"));
        ScimHttp.AssertScimError(put, putBody, 409, "uniqueness");

        var (_, got) = await client.SendAsync(HttpMethod.Get, $"Users/{other}");
        Assert.Equal("free@x.com", (string?)got!["userName"]);
    }

    [Fact]
    public async Task PatchUser_OwnUserNameInOtherCase_Allowed()
    {
        using var client = await _server.ClientAsync();
        var id = (string)(await client.CreateUserAsync("self@x.com"))["id"]!;
        var (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Users/{id}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"userName","value":"SELF@x.com"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SELF@x.com", (string?)body!["userName"]);
    }

    [Fact]
    public async Task PostGroup_DisplayNameTakenAnyCase_Scim409Uniqueness()
    {
        using var client = await _server.ClientAsync();
        await client.CreateGroupAsync("Engineering");
        foreach (var name in new[] { "Engineering", "ENGINEERING" })
        {
            var (response, body) = await client.SendAsync(HttpMethod.Post, "Groups", JsonNode.Parse($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{name}}"}"""));
            ScimHttp.AssertScimError(response, body, 409, "uniqueness");
        }

        var (_, list) = await client.SendAsync(HttpMethod.Get, "Groups");
        Assert.Equal(1, (int)list!["totalResults"]!);
    }

    [Fact]
    public async Task PatchGroup_RenameToTakenDisplayName_Scim409()
    {
        using var client = await _server.ClientAsync();
        await client.CreateGroupAsync("Sales");
        var id = (string)(await client.CreateGroupAsync("Marketing"))["id"]!;
        var (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Groups/{id}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"displayName","value":"sales"}]}"""));
        ScimHttp.AssertScimError(response, body, 409, "uniqueness");
    }

    [Fact]
    public async Task PostUser_DuplicateExternalId_Allowed()
    {
        using var client = await _server.ClientAsync();
        await client.CreateUserAsync("one@x.com", new JsonObject { ["externalId"] = "same-ext" });
        await client.CreateUserAsync("two@x.com", new JsonObject { ["externalId"] = "same-ext" });
        var (_, list) = await client.SendAsync(HttpMethod.Get, "Users?filter=externalId eq \"same-ext\"");
        Assert.Equal(2, (int)list!["totalResults"]!);
    }

    [Fact]
    public async Task PostUser_AfterDeleteOfSameUserName_Created()
    {
        using var client = await _server.ClientAsync();
        var id = (string)(await client.CreateUserAsync("again@x.com"))["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"Users/{id}")).StatusCode);
        var second = await client.CreateUserAsync("again@x.com");
        Assert.NotEqual(id, (string)second["id"]!);
    }

    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
    };
}
