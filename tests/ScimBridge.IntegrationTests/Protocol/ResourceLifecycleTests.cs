using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>Server-assigned attributes, relations after deletes, concurrent writers and HTTP leniency.</summary>
public sealed class ResourceLifecycleTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task PostUser_ClientIdAndMeta_IgnoredServerAssigns()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", JsonNode.Parse("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"client-chosen","userName":"assigned@x.com",
             "meta":{"resourceType":"Group","created":"2001-01-01T00:00:00Z","version":"W/\"77\""}}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)body!["id"]!;
        Assert.NotEqual("client-chosen", id);
        Assert.Equal("User", (string?)body["meta"]!["resourceType"]);
        Assert.NotEqual("2001-01-01T00:00:00Z", (string?)body["meta"]!["created"]);
        Assert.Equal(response.Headers.Location?.ToString(), (string?)body["meta"]!["location"]);
        Assert.EndsWith($"/scim/v2/Users/{id}", (string?)body["meta"]!["location"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("Users/client-chosen")).StatusCode);
    }

    [Fact]
    public async Task PatchUser_MetaTimes_CreatedStableLastModifiedAdvances()
    {
        using var client = await _server.ClientAsync();
        var created = await client.CreateUserAsync("times@x.com");
        await Task.Delay(15);
        var (_, patched) = await client.SendAsync(
            HttpMethod.Patch, $"Users/{created["id"]}", JsonNode.Parse("""{"Operations":[{"op":"add","path":"title","value":"T"}]}"""));
        Assert.Equal((string?)created["meta"]!["created"], (string?)patched!["meta"]!["created"]);
        Assert.True(
            DateTimeOffset.Parse((string)patched["meta"]!["lastModified"]!, System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse((string)created["meta"]!["lastModified"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DeleteUser_MemberOfGroup_LeavesGroup()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var stay = (string)(await client.CreateUserAsync("stay@x.com"))["id"]!;
        var leave = (string)(await client.CreateUserAsync("leave@x.com"))["id"]!;
        var group = (string)(await client.CreateGroupAsync("Mixed", stay, leave))["id"]!;

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"Users/{leave}")).StatusCode);

        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        var members = body!["members"]!.AsArray();
        Assert.Equal([stay], members.Select(m => (string)m!["value"]!));
        var (_, search) = await client.SendAsync(HttpMethod.Get, $"Groups?filter=members.value eq \"{leave}\"");
        Assert.Equal(0, (int)search!["totalResults"]!);
    }

    [Fact]
    public async Task PatchGroup_ConcurrentMemberAdds_AllMembersKept()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var group = (string)(await client.CreateGroupAsync("Concurrent"))["id"]!;
        var users = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            users.Add((string)(await client.CreateUserAsync($"c{i}@x.com"))["id"]!);
        }

        var responses = await Task.WhenAll(users.Select(u => client.SendAsync(
            HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse($$"""{"Operations":[{"op":"Add","path":"members","value":[{"value":"{{u}}"}]}]}"""))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.Response.StatusCode));

        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Groups/{group}");
        Assert.Equal(users.Order(StringComparer.Ordinal), body!["members"]!.AsArray().Select(m => (string)m!["value"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PatchUser_ConcurrentDifferentAttributes_AllApplied()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var id = (string)(await client.CreateUserAsync("race@x.com"))["id"]!;
        // More writers than a small retry budget: none of them sent If-Match, so none may get 412.
        string[] attributes =
        [
            "nickName", "title", "displayName", "locale", "timezone", "userType", "preferredLanguage", "externalId",
            "name.givenName", "name.familyName", "name.formatted", "name.middleName", "name.honorificPrefix", "name.honorificSuffix",
        ];

        var responses = await Task.WhenAll(attributes.Concat(attributes).Concat(attributes).Select(a => client.SendAsync(
            HttpMethod.Patch, $"Users/{id}", JsonNode.Parse($$"""{"Operations":[{"op":"replace","path":"{{a}}","value":"v-{{a}}"}]}"""))));
        Assert.All(responses, r => Assert.True(r.Response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)r.Response.StatusCode} {r.Body}"));

        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.All(attributes, a => Assert.Equal($"v-{a}", (string?)a.Split('.').Aggregate((JsonNode?)body, (node, part) => node?[part])));
    }

    [Fact]
    public async Task PostUsers_ConcurrentSameUserName_ExactlyOneCreated()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(HttpMethod.Post, "Users", JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"only-once@x.com"}"""))));
        Assert.Single(responses, r => r.Response.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.Response.StatusCode != HttpStatusCode.Created), r => ScimHttp.AssertScimError(r.Response, r.Body, 409, "uniqueness"));
    }

    [Theory]
    [InlineData("users")]
    [InlineData("USERS")]
    [InlineData("Users/")]
    public async Task ListUsers_RouteCaseAndTrailingSlash_Served(string path)
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string?)body!["schemas"]![0]);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/scim+json")]
    [InlineData("*/*")]
    public async Task Get_AcceptVariants_ScimJson(string accept)
    {
        using var client = await _server.ClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "Users");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ScimHttp.MediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("startIndex=2147483647&count=2147483647")]
    [InlineData("startIndex=99999999999999&count=99999999999999")]
    [InlineData("startIndex=-99999999999999&count=-99999999999999")]
    public async Task ListUsers_ExtremePagingNumbers_Scim200(string query)
    {
        using var client = await _server.ClientAsync();
        await client.CreateUserAsync("extreme@x.com");
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)body!["totalResults"]!);
    }

    [Fact]
    public async Task PutUser_StrongFormOfCurrentETag_Accepted()
    {
        using var client = await _server.ClientAsync();
        var created = await client.CreateUserAsync("strong@x.com");
        var version = ((string)created["meta"]!["version"]!)[2..];
        using var request = new HttpRequestMessage(HttpMethod.Put, $"Users/{created["id"]}")
        {
            Content = ScimHttp.Json("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"strong2@x.com"}"""),
        };
        request.Headers.TryAddWithoutValidation("If-Match", version);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task PutGroup_WithoutMembers_ReplacesMembershipWithNone()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var user = (string)(await client.CreateUserAsync("put-member@x.com"))["id"]!;
        var group = (string)(await client.CreateGroupAsync("Put group", user))["id"]!;
        var (response, body) = await client.SendAsync(HttpMethod.Put, $"Groups/{group}", JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Put group 2"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Put group 2", (string?)body!["displayName"]);
        Assert.Empty(body["members"]?.AsArray() ?? []);
    }
}
