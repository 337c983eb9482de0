using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>If-Match with several entity tags (RFC 9110 §13.1.1): it matches when any tag is current.</summary>
public sealed class IfMatchListTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private static readonly JsonNode Patch = JsonNode.Parse("""{"Operations":[{"op":"replace","path":"title","value":"T"}]}""")!;

    [Fact]
    public async Task Patch_IfMatchListContainingCurrent_Succeeds()
    {
        using var client = await fixture.Server.ClientAsync();
        var user = await client.CreateUserAsync("list-match@x.com");
        var current = (string)user["meta"]!["version"]!;

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Users/{user["id"]}") { Content = ScimHttp.Json(Patch) };
        request.Headers.TryAddWithoutValidation("If-Match", $"W/\"999\", {current}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Patch_IfMatchListWithoutCurrent_Is412AndChangesNothing()
    {
        using var client = await fixture.Server.ClientAsync();
        var user = await client.CreateUserAsync("list-miss@x.com");

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Users/{user["id"]}") { Content = ScimHttp.Json(Patch) };
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"998\", W/\"999\"");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);

        var (_, after) = await client.SendAsync(HttpMethod.Get, $"Users/{user["id"]}");
        Assert.Null(after!["title"]);
    }
}
