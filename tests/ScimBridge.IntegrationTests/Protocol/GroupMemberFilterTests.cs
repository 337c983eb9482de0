using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>Member value filters beyond `value eq`: removal and search by a member's display name.</summary>
public sealed class GroupMemberFilterTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    [Fact]
    public async Task PatchGroup_RemoveMembersByDisplay_RemovesOnlyThatMember()
    {
        using var client = await fixture.Server.ClientAsync();
        var babs = await client.CreateUserAsync("babs@x.com", new JsonObject { ["displayName"] = "Babs Jensen" });
        var ford = await client.CreateUserAsync("ford@x.com", new JsonObject { ["displayName"] = "Ford Prefect" });
        var group = await client.CreateGroupAsync("display-filter", (string)babs["id"]!, (string)ford["id"]!);

        var (patch, _) = await client.SendAsync(HttpMethod.Patch, $"Groups/{group["id"]}", JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[display eq \"BABS JENSEN\"]"}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);

        var (_, after) = await client.SendAsync(HttpMethod.Get, $"Groups/{group["id"]}");
        var members = after!["members"]!.AsArray().Select(m => (string?)m!["value"]).ToList();
        Assert.Equal([(string?)ford["id"]], members);
    }

    [Fact]
    public async Task ListGroups_FilterOnMembersDisplay_FindsTheGroup()
    {
        using var client = await fixture.Server.ClientAsync();
        var user = await client.CreateUserAsync("arthur@x.com", new JsonObject { ["displayName"] = "Arthur Dent" });
        await client.CreateGroupAsync("with-arthur", (string)user["id"]!);
        await client.CreateGroupAsync("without-arthur");

        var (response, list) = await client.SendAsync(HttpMethod.Get, "Groups?filter=members.display%20sw%20%22arthur%22");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)list!["totalResults"]!);
        Assert.Equal("with-arthur", (string?)list["Resources"]![0]!["displayName"]);
    }
}
