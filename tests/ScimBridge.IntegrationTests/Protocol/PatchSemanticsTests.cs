using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §3.5.2 over HTTP: atomic PATCH, deactivation is not deletion, PATCH error shapes.</summary>
public sealed class PatchSemanticsTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    public static TheoryData<string> InvalidSecondOperations => new()
    {
        """{"op":"replace","path":"id","value":"new-id"}""",
        """{"op":"replace","path":"active","value":"maybe"}""",
        """{"op":"remove"}""",
        """{"op":"frobnicate","path":"nickName","value":"x"}""",
        """{"op":"replace","path":"emails[type eq","value":"x"}""",
        """{"op":"replace","path":"noSuchAttribute","value":"x"}""",
        """{"op":"add","path":"groups","value":[{"value":"g"}]}""",
    };

    [Theory]
    [MemberData(nameof(InvalidSecondOperations))]
    public async Task PatchUser_SecondOperationInvalid_Scim400AndNothingChanged(string secondOperation)
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var created = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com", new JsonObject { ["displayName"] = "Before", ["active"] = true });
        var id = (string)created["id"]!;
        var (_, before) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");

        var body = JsonNode.Parse($$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","path":"displayName","value":"After"},{{secondOperation}},{"op":"replace","path":"active","value":false}]}
            """);
        var (response, error) = await client.SendAsync(HttpMethod.Patch, $"Users/{id}", body);
        ScimHttp.AssertScimError(response, error, 400);

        var (_, after) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
    }

    [Fact]
    public async Task PatchGroup_MemberAddThenInvalidOperation_Scim400AndMembersUnchanged()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var user = (string)(await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com"))["id"]!;
        var group = (string)(await client.CreateGroupAsync($"G-{Guid.NewGuid():N}"))["id"]!;
        var (_, before) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");

        var (response, error) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse($$"""
            {"Operations":[{"op":"add","path":"members","value":[{"value":"{{user}}"}]},
                           {"op":"replace","path":"displayName","value":"Renamed"},
                           {"op":"replace","path":"id","value":"x"}]}
            """));
        ScimHttp.AssertScimError(response, error, 400);

        var (_, after) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
    }

    [Fact]
    public async Task PatchGroup_AddUnknownMemberAfterValidRename_NothingChanged()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var group = (string)(await client.CreateGroupAsync($"G-{Guid.NewGuid():N}"))["id"]!;
        var (_, before) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");

        var (response, error) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse("""
            {"Operations":[{"op":"replace","path":"displayName","value":"Renamed"},
                           {"op":"add","path":"members","value":[{"value":"00000000-0000-0000-0000-000000000000"}]}]}
            """));
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"HTTP {(int)response.StatusCode}");
        ScimHttp.AssertScimError(response, error, (int)response.StatusCode);

        var (_, after) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
    }

    [Theory]
    [InlineData(IdpKind.Entra, """{"Operations":[{"op":"Replace","path":"active","value":"False"}]}""")]
    [InlineData(IdpKind.Entra, """{"Operations":[{"op":"replace","path":"active","value":false}]}""")]
    [InlineData(IdpKind.Okta, """{"Operations":[{"op":"replace","value":{"active":false}}]}""")]
    [InlineData(IdpKind.Generic, """{"Operations":[{"op":"replace","value":{"active":false}}]}""")]
    public async Task Deactivate_AnyShape_UserKeptInactiveWithGroupsAndFindable(IdpKind kind, string patch)
    {
        using var client = await _server.ClientAsync(kind);
        var userName = $"{Guid.NewGuid():N}@x.com";
        var id = (string)(await client.CreateUserAsync(userName))["id"]!;
        var group = (string)(await client.CreateGroupAsync($"G-{Guid.NewGuid():N}", id))["id"]!;

        var (response, body) = await client.SendAsync(HttpMethod.Patch, $"Users/{id}", JsonNode.Parse(patch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((bool)body!["active"]!);

        var (get, got) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False((bool)got!["active"]!);
        Assert.Equal(group, (string?)got["groups"]![0]!["value"]);

        var (_, list) = await client.SendAsync(HttpMethod.Get, $"Users?filter=userName eq \"{userName}\"");
        Assert.Equal(1, (int)list!["totalResults"]!);
        var (_, members) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.Equal(id, (string?)members!["members"]![0]!["value"]);

        // PUT with active:false (Okta AIW, O11) does not delete either.
        var (put, _) = await client.SendAsync(HttpMethod.Put, $"Users/{id}", JsonNode.Parse($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":false}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"Users/{id}")).StatusCode);
    }

    [Fact]
    public async Task PostUser_ActiveFalse_CreatedInactive()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"born-inactive@x.com","active":false}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False((bool)body!["active"]!);
    }

    [Theory]
    [InlineData("""{"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}""")]
    public async Task PatchUser_EmptyOperations_SuccessWithoutNewVersion(string patch)
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var created = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com");
        var (response, body) = await client.SendAsync(HttpMethod.Patch, $"Users/{created["id"]}", JsonNode.Parse(patch));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"HTTP {(int)response.StatusCode}");
        if (body is not null)
        {
            Assert.Equal((string?)created["meta"]!["version"], (string?)body["meta"]!["version"]);
        }
    }

    [Theory]
    [InlineData("""{"op":"remove"}""", "noTarget")]
    [InlineData("""{"op":"replace","path":"id","value":"x"}""", "mutability")]
    [InlineData("""{"op":"replace","path":"emails[type eq \"home\"].value","value":"h@x.com"}""", "noTarget")]
    public async Task PatchUser_SpecErrors_ScimTypeSet(string operation, string scimType)
    {
        using var client = await _server.ClientAsync(IdpKind.Generic);
        var created = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com");
        var (response, body) = await client.SendAsync(HttpMethod.Patch, $"Users/{created["id"]}", JsonNode.Parse($$"""{"Operations":[{{operation}}]}"""));
        ScimHttp.AssertScimError(response, body, 400, scimType);
    }

    [Fact]
    public async Task PatchUser_AddExistingEmail_MergedNotDuplicated()
    {
        using var client = await _server.ClientAsync(IdpKind.Generic);
        var created = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com", JsonNode.Parse("""{"emails":[{"type":"work","value":"same@x.com"}]}""")!.AsObject());
        var (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Users/{created["id"]}", JsonNode.Parse("""{"Operations":[{"op":"add","path":"emails","value":[{"type":"work","value":"same@x.com"}]}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(body!["emails"]!.AsArray());
    }
}
