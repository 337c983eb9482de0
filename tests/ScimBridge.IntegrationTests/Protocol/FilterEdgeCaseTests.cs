using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>Filter values that are special to SQL or to case folding, and filters built to exhaust the parser or the database.</summary>
public sealed class FilterEdgeCaseTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Theory]
    [InlineData("userName co \"%\"", "a%b")]
    [InlineData("userName sw \"_\"", "")]
    [InlineData("userName co \"a_b\"", "a_b")]
    [InlineData("userName co \"a%b\"", "a%b")]
    [InlineData("userName sw \"a\"", "a_b a%b axb")]
    [InlineData("userName ew \"\\\\\"", "back\\")]
    [InlineData("userName co \"'\"", "o'brien")]
    [InlineData("userName eq \"o'brien\"", "o'brien")]
    [InlineData("emails.value co \"_\"", "")]
    public async Task ListUsers_SqlWildcardsAndQuotes_MatchedLiterally(string filter, string expected)
    {
        using var client = await _server.ClientAsync(IdpKind.Generic);
        foreach (var name in new[] { "a_b", "a%b", "axb", "back\\", "o'brien" })
        {
            await client.CreateUserAsync(name, new JsonObject { ["emails"] = new JsonArray(new JsonObject { ["value"] = "plain@x.com" }) });
        }

        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?filter={Uri.EscapeDataString(filter)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = body!["Resources"]!.AsArray().Select(r => (string)r!["userName"]!).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task UserName_NonAsciiCase_InsensitiveForFilterAndUniqueness()
    {
        using var client = await _server.ClientAsync(IdpKind.Okta);
        var created = await client.CreateUserAsync("ängström@x.com");

        var (_, list) = await client.SendAsync(HttpMethod.Get, "Users?filter=userName eq \"ÄNGSTRÖM@X.COM\"");
        Assert.Equal((string?)created["id"], (string?)list!["Resources"]![0]!["id"]);

        var (conflict, error) = await client.SendAsync(HttpMethod.Post, "Users", new JsonObject { ["userName"] = "ÄNGSTRÖM@x.com" });
        ScimHttp.AssertScimError(conflict, error, 409, "uniqueness");
    }

    [Theory]
    [InlineData(40, "(", ")")]
    [InlineData(40, "not (", ")")]
    public async Task Search_NestingBeyondLimit_Scim400InvalidFilter(int depth, string open, string close)
    {
        using var client = await _server.ClientAsync();
        var filter = string.Concat(Enumerable.Repeat(open, depth)) + "userName pr" + string.Concat(Enumerable.Repeat(close, depth));
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users/.search", new JsonObject { ["filter"] = filter });
        ScimHttp.AssertScimError(response, body, 400, "invalidFilter");
    }

    [Theory]
    [InlineData("userName eq \"a\"", " or ")]
    [InlineData("emails[type eq \"work\" and value co \"a\"]", " or ")]
    [InlineData("emails.value co \"a\"", " and ")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"x\"", " or ")]
    public async Task Search_LongestAcceptedChain_Scim200(string term, string joiner)
    {
        using var client = await _server.ClientAsync();
        await client.CreateUserAsync("chain@x.com", new JsonObject { ["emails"] = new JsonArray(new JsonObject { ["type"] = "work", ["value"] = "a@x.com" }) });
        var parts = new List<string>();
        while (string.Join(joiner, parts).Length + joiner.Length + term.Length < 8000)
        {
            parts.Add(term);
        }

        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users/.search", new JsonObject { ["filter"] = string.Join(joiner, parts) });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{parts.Count} terms: HTTP {(int)response.StatusCode} {body}");
        Assert.Equal(term.StartsWith("emails", StringComparison.Ordinal) ? 1 : 0, (int)body!["totalResults"]!);
    }

    [Fact]
    public async Task Search_FilterAbove8192Characters_Scim400InvalidFilter()
    {
        using var client = await _server.ClientAsync();
        var filter = string.Join(" or ", Enumerable.Repeat("userName eq \"a\"", 1000));
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users/.search", new JsonObject { ["filter"] = filter });
        ScimHttp.AssertScimError(response, body, 400, "invalidFilter");
    }

    [Fact]
    public async Task PatchGroup_AddItselfAsMember_Scim400()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var group = (string)(await client.CreateGroupAsync("Self"))["id"]!;
        var (response, body) = await client.SendAsync(
            HttpMethod.Patch, $"Groups/{group}", JsonNode.Parse($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{group}}"}]}]}"""));
        ScimHttp.AssertScimError(response, body, 400);
    }

    [Fact]
    public async Task PatchGroup_NestedGroupMember_TypeGroup()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var inner = (string)(await client.CreateGroupAsync("Inner"))["id"]!;
        var outer = (string)(await client.CreateGroupAsync("Outer"))["id"]!;
        var (response, _) = await client.SendAsync(
            HttpMethod.Patch, $"Groups/{outer}", JsonNode.Parse($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{inner}}"}]}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var (_, body) = await client.SendAsync(HttpMethod.Get, $"Groups/{outer}");
        Assert.Equal("Group", (string?)body!["members"]![0]!["type"]);
        Assert.EndsWith($"/Groups/{inner}", (string?)body["members"]![0]!["$ref"], StringComparison.Ordinal);
    }
}
