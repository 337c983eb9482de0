using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>Each connection is a tenant: it can neither see nor touch another connection's resources.</summary>
public sealed class ConnectionIsolationTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task OtherConnectionsUser_GetPatchPutDelete_Scim404AndUnchanged()
    {
        using var a = await _server.ClientAsync(IdpKind.Entra);
        using var b = await _server.ClientAsync(IdpKind.Okta);
        var user = await b.CreateUserAsync("b-only@x.com");
        var id = (string)user["id"]!;

        var (get, getBody) = await a.SendAsync(HttpMethod.Get, $"Users/{id}");
        ScimHttp.AssertScimError(get, getBody, 404);

        var (patch, patchBody) = await a.SendAsync(HttpMethod.Patch, $"Users/{id}", JsonNode.Parse("""{"Operations":[{"op":"replace","path":"active","value":false}]}"""));
        ScimHttp.AssertScimError(patch, patchBody, 404);

        var (put, putBody) = await a.SendAsync(HttpMethod.Put, $"Users/{id}", JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"stolen@x.com"}"""));
        ScimHttp.AssertScimError(put, putBody, 404);

        var (delete, deleteBody) = await a.SendAsync(HttpMethod.Delete, $"Users/{id}");
        ScimHttp.AssertScimError(delete, deleteBody, 404);

        var (mine, mineBody) = await b.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("b-only@x.com", (string?)mineBody!["userName"]);
        Assert.True((bool)mineBody["active"]!);
    }

    [Fact]
    public async Task OtherConnectionsUsers_ListFilterAndSearch_NotVisible()
    {
        using var a = await _server.ClientAsync(IdpKind.Entra);
        using var b = await _server.ClientAsync(IdpKind.Entra);
        var user = await b.CreateUserAsync("hidden@x.com", new JsonObject { ["externalId"] = "ext-hidden" });
        await b.CreateGroupAsync("Hidden group", (string)user["id"]!);

        foreach (var path in new[] { "Users", "Groups", "Users?filter=userName eq \"hidden@x.com\"", $"Users?filter=id eq \"{user["id"]}\"", "Users?filter=externalId eq \"ext-hidden\"", "Groups?filter=displayName eq \"Hidden group\"" })
        {
            var (response, body) = await a.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, (int)body!["totalResults"]!);
        }

        var (search, searchBody) = await a.SendAsync(HttpMethod.Post, "Users/.search", new JsonObject { ["filter"] = "userName pr" });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(0, (int)searchBody!["totalResults"]!);

        var (own, ownBody) = await b.SendAsync(HttpMethod.Get, "Users");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(1, (int)ownBody!["totalResults"]!);
    }

    [Fact]
    public async Task SameUserNameInTwoConnections_BothCreated()
    {
        using var a = await _server.ClientAsync(IdpKind.Entra);
        using var b = await _server.ClientAsync(IdpKind.Okta);
        var first = await a.CreateUserAsync("shared@x.com");
        var second = await b.CreateUserAsync("shared@x.com");
        Assert.NotEqual((string)first["id"]!, (string)second["id"]!);
    }

    [Fact]
    public async Task AddOtherConnectionsUserToOwnGroup_RejectedAndNotAdded()
    {
        using var a = await _server.ClientAsync(IdpKind.Entra);
        using var b = await _server.ClientAsync(IdpKind.Entra);
        var foreign = (string)(await b.CreateUserAsync("foreign@x.com"))["id"]!;
        var group = await a.CreateGroupAsync("A's group");
        var groupId = (string)group["id"]!;

        var (patch, patchBody) = await a.SendAsync(
            HttpMethod.Patch, $"Groups/{groupId}", JsonNode.Parse($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{foreign}}"}]}]}"""));
        Assert.True((int)patch.StatusCode is >= 400 and < 500, $"PATCH adding a foreign user answered {(int)patch.StatusCode}");
        ScimHttp.AssertScimError(patch, patchBody, (int)patch.StatusCode);

        var (post, postBody) = await a.SendAsync(HttpMethod.Post, "Groups", JsonNode.Parse($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"A's other group","members":[{"value":"{{foreign}}"}]}
            """));
        Assert.True((int)post.StatusCode is >= 400 and < 500, $"POST with a foreign member answered {(int)post.StatusCode}");
        ScimHttp.AssertScimError(post, postBody, (int)post.StatusCode);

        var (put, putBody) = await a.SendAsync(HttpMethod.Put, $"Groups/{groupId}", JsonNode.Parse($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"A's group","members":[{"value":"{{foreign}}"}]}
            """));
        Assert.True((int)put.StatusCode is >= 400 and < 500, $"PUT with a foreign member answered {(int)put.StatusCode}");
        ScimHttp.AssertScimError(put, putBody, (int)put.StatusCode);

        var (_, groupBody) = await a.SendAsync(HttpMethod.Get, $"Groups/{groupId}");
        Assert.Empty(groupBody!["members"]!.AsArray());
        var (_, foreignBody) = await b.SendAsync(HttpMethod.Get, $"Users/{foreign}");
        Assert.Null(foreignBody!["groups"]);
    }

    [Fact]
    public async Task OtherConnectionsGroup_PatchMembersAndDelete_Scim404()
    {
        using var a = await _server.ClientAsync(IdpKind.Okta);
        using var b = await _server.ClientAsync(IdpKind.Okta);
        var mine = (string)(await a.CreateUserAsync("mine@x.com"))["id"]!;
        var group = (string)(await b.CreateGroupAsync("B's group"))["id"]!;

        var (patch, patchBody) = await a.SendAsync(
            HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{mine}}"}]}]}"""));
        ScimHttp.AssertScimError(patch, patchBody, 404);
        var (delete, deleteBody) = await a.SendAsync(HttpMethod.Delete, $"Groups/{group}");
        ScimHttp.AssertScimError(delete, deleteBody, 404);

        var (_, groupBody) = await b.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.Empty(groupBody!["members"]!.AsArray());
    }
}
