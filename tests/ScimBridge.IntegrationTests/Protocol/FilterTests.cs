using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>A fixed directory of four users and two groups on one connection, created once for the filter tests.</summary>
public sealed class FilterDirectoryFixture : IAsyncLifetime
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public ScimServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Seed key (alice, bob, carol, dave, engineers, sales) → id.</summary>
    public Dictionary<string, string> Ids { get; } = [];

    /// <summary>bob's meta.lastModified: carol and dave were written after it, alice before.</summary>
    public string BobLastModified { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ScimServer.StartAsync();
        Client = await Server.ClientAsync(IdpKind.Generic);
        Ids["alice"] = await CreateAsync("""
            {"userName":"alice@x.com","externalId":"Ext-A","title":"Engineer","active":true,
             "name":{"givenName":"Alice","familyName":"Smith"},
             "emails":[{"type":"work","value":"alice@x.com","primary":true},{"type":"home","value":"alice@home.org"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Eng"}}
            """);
        var bob = await Client.CreateUserAsync("bob@y.com", JsonNode.Parse("""
            {"externalId":"ext-a","nickName":"Bobby","active":false,
             "name":{"givenName":"Bob","familyName":"Jones"},
             "emails":[{"type":"work","value":"bob@y.com"},{"type":"home","value":"bob@x.com"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}
            """)!.AsObject());
        Ids["bob"] = (string)bob["id"]!;
        BobLastModified = (string)bob["meta"]!["lastModified"]!;
        await Task.Delay(20);
        Ids["carol"] = await CreateAsync("""
            {"userName":"Carol@X.com","externalId":"EXT-C","active":true,
             "name":{"givenName":"Carol","familyName":"Smith"},
             "emails":[{"type":"home","value":"carol@x.com"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"eng"}}
            """);
        Ids["dave"] = await CreateAsync("""{"userName":"dave@z.org","active":true,"name":{"givenName":"Dave","familyName":"Brown"}}""");
        Ids["engineers"] = (string)(await Client.CreateGroupAsync("Engineers", Ids["alice"], Ids["bob"]))["id"]!;
        Ids["sales"] = (string)(await Client.CreateGroupAsync("Sales", Ids["carol"]))["id"]!;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    private async Task<string> CreateAsync(string json)
    {
        var body = JsonNode.Parse(json)!.AsObject();
        var userName = (string)body["userName"]!;
        body.Remove("userName");
        if (body.ContainsKey(Enterprise))
        {
            body["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", Enterprise);
        }

        return (string)(await Client.CreateUserAsync(userName, body))["id"]!;
    }
}

/// <summary>RFC 7644 §3.4.2.2 over HTTP: operators, precedence, case rules, complex and URN paths (idp-clients.md §4).</summary>
public sealed class FilterTests(FilterDirectoryFixture directory) : IClassFixture<FilterDirectoryFixture>
{
    [Theory]
    [InlineData("userName eq \"alice@x.com\"", "alice")]
    [InlineData("userName eq \"ALICE@X.COM\"", "alice")]
    [InlineData("USERNAME Eq \"alice@x.com\"", "alice")]
    [InlineData("username EQ \"Carol@x.COM\"", "carol")]
    [InlineData("userName co \"@x.\"", "alice carol")]
    [InlineData("userName sw \"B\"", "bob")]
    [InlineData("userName ew \".ORG\"", "dave")]
    [InlineData("userName ne \"alice@x.com\"", "bob carol dave")]
    [InlineData("userName gt \"bob@y.com\"", "carol dave")]
    [InlineData("userName ge \"bob@y.com\"", "bob carol dave")]
    [InlineData("userName lt \"bob@y.com\"", "alice")]
    [InlineData("userName le \"BOB@Y.COM\"", "alice bob")]
    [InlineData("title pr", "alice")]
    [InlineData("nickName pr", "bob")]
    [InlineData("not (title pr)", "bob carol dave")]
    [InlineData("active eq true", "alice carol dave")]
    [InlineData("not (active eq true)", "bob")]
    [InlineData("active eq false", "bob")]
    [InlineData("name.familyName eq \"smith\"", "alice carol")]
    [InlineData("name.familyName eq \"Smith\" and (emails.value co \"alice\" or emails.value co \"carol\")", "alice carol")]
    [InlineData("name.familyName eq \"Smith\" and emails.value co \"alice\" or emails.value co \"bob\"", "alice bob")]
    [InlineData("active eq false or title pr and userName eq \"alice@x.com\"", "alice bob")]
    [InlineData("(active eq false or title pr) and userName eq \"alice@x.com\"", "alice")]
    [InlineData("not (userName eq \"alice@x.com\") and name.familyName eq \"Smith\"", "carol")]
    [InlineData("not (userName eq \"alice@x.com\" or name.familyName eq \"Smith\")", "bob dave")]
    [InlineData("userName eq \"dave@z.org\" or userName eq \"bob@y.com\" or userName eq \"nobody\"", "bob dave")]
    [InlineData("emails[type eq \"work\" and value ew \"@x.com\"]", "alice")]
    [InlineData("emails[TYPE eq \"home\" and value ew \"@X.COM\"]", "bob carol")]
    [InlineData("emails.value ew \"@x.com\"", "alice bob carol")]
    [InlineData("emails.type eq \"work\"", "alice bob")]
    [InlineData("emails pr", "alice bob carol")]
    [InlineData("name.familyName pr and not (emails pr)", "dave")]
    [InlineData("emails.value eq \"nobody@x.com\"", "")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Eng\"", "alice carol")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department ne \"Eng\"", "bob dave")]
    [InlineData("externalId eq \"ext-a\"", "bob")]
    [InlineData("externalId eq \"Ext-A\"", "alice")]
    [InlineData("externalId eq \"EXT-A\"", "")]
    [InlineData("externalId pr", "alice bob carol")]
    public async Task ListUsers_Filter_MatchesExactlyTheExpectedUsers(string filter, string expected)
    {
        var actual = await MatchAsync("Users", filter);
        Assert.Equal(Names(expected), actual);
    }

    [Fact]
    public async Task ListUsers_IdEq_CaseExact()
    {
        var alice = directory.Ids["alice"];
        Assert.Equal(["alice"], await MatchAsync("Users", $"id eq \"{alice}\""));
        Assert.Empty(await MatchAsync("Users", $"id eq \"{alice.ToUpperInvariant()}\""));
        Assert.Equal(["bob", "carol", "dave"], await MatchAsync("Users", $"id ne \"{alice}\""));
    }

    [Fact]
    public async Task ListUsers_MetaLastModifiedGt_OnlyLaterWrites()
    {
        Assert.Equal(["carol", "dave"], await MatchAsync("Users", $"meta.lastModified gt \"{directory.BobLastModified}\""));
        Assert.Equal(["bob", "carol", "dave"], await MatchAsync("Users", $"meta.lastModified ge \"{directory.BobLastModified}\""));
        Assert.Equal(["alice", "bob", "carol", "dave"], await MatchAsync("Users", "meta.lastModified gt \"2001-01-01T00:00:00Z\""));
        Assert.Empty(await MatchAsync("Users", "meta.lastModified gt \"2999-01-01T00:00:00Z\""));
        Assert.Equal(["alice", "bob", "carol", "dave"], await MatchAsync("Users", "meta.created lt \"2999-01-01T00:00:00Z\""));
    }

    [Theory]
    [InlineData("displayName eq \"ENGINEERS\"", "engineers")]
    [InlineData("displayName sw \"s\"", "sales")]
    [InlineData("displayName pr", "engineers sales")]
    public async Task ListGroups_Filter_MatchesExpectedGroups(string filter, string expected)
    {
        Assert.Equal(Names(expected), await MatchAsync("Groups", filter));
    }

    [Fact]
    public async Task ListGroups_MembersValueEq_GroupsOfThatUser()
    {
        Assert.Equal(["engineers"], await MatchAsync("Groups", $"members.value eq \"{directory.Ids["bob"]}\""));
        Assert.Equal(["sales"], await MatchAsync("Groups", $"members.value eq \"{directory.Ids["carol"]}\""));
        Assert.Empty(await MatchAsync("Groups", $"members.value eq \"{directory.Ids["dave"]}\""));
        Assert.Equal(["engineers"], await MatchAsync("Groups", $"members[value eq \"{directory.Ids["alice"]}\"]"));
        Assert.Equal(["engineers", "sales"], await MatchAsync("Groups", $"members.value eq \"{directory.Ids["alice"]}\" or displayName eq \"sales\""));
    }

    [Fact]
    public async Task SearchEndpoint_PostFilterBody_SameAsGet()
    {
        var (response, body) = await directory.Client.SendAsync(HttpMethod.Post, "Users/.search", JsonNode.Parse("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
             "filter":"name.familyName eq \"Smith\"","sortBy":"userName","sortOrder":"descending",
             "attributes":["userName"],"startIndex":1,"count":10}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ScimHttp.MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (int)body!["totalResults"]!);
        var resources = body["Resources"]!.AsArray();
        Assert.Equal(["Carol@X.com", "alice@x.com"], resources.Select(r => (string)r!["userName"]!));
        Assert.All(resources, r => Assert.Null(r!["name"]));
        Assert.All(resources, r => Assert.NotNull(r!["id"]));

        var (groups, groupBody) = await directory.Client.SendAsync(HttpMethod.Post, "Groups/.search", JsonNode.Parse("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"sales\"","excludedAttributes":["members"]}
            """));
        Assert.Equal(HttpStatusCode.OK, groups.StatusCode);
        Assert.Equal(directory.Ids["sales"], (string?)groupBody!["Resources"]![0]!["id"]);
        Assert.Null(groupBody["Resources"]![0]!["members"]);
    }

    [Fact]
    public async Task SearchEndpoint_InvalidFilter_Scim400InvalidFilter()
    {
        var (response, body) = await directory.Client.SendAsync(HttpMethod.Post, "Users/.search", new JsonObject { ["filter"] = "userName eq" });
        ScimHttp.AssertScimError(response, body, 400, "invalidFilter");
    }

    private static string[] Names(string expected) => expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private async Task<List<string>> MatchAsync(string resource, string filter)
    {
        var (response, body) = await directory.Client.SendAsync(HttpMethod.Get, $"{resource}?filter={Uri.EscapeDataString(filter)}&count=100");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{filter}: HTTP {(int)response.StatusCode} {body}");
        var names = directory.Ids.ToDictionary(p => p.Value, p => p.Key);
        var matched = body!["Resources"]!.AsArray().Select(r => names[(string)r!["id"]!]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(matched.Count, (int)body["totalResults"]!);
        return matched;
    }
}
