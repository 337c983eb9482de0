using System.Net;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>The bounded pool of SQLite read sessions: requests beyond it wait for a session, none is lost.</summary>
[Trait("Category", "SqliteOnly")]
public sealed class ReadSessionPoolTests
{
    [Fact]
    public async Task ConcurrentReads_WithOneReadConnection_AllComplete()
    {
        await using var server = await ScimServer.StartAsync("--Storage:MaxReadConnections=1");
        using var client = await server.ClientAsync();
        var user = await client.CreateUserAsync("pooled@x.com");

        var requests = Enumerable.Range(0, 60).Select(i => (i % 3) switch
        {
            0 => client.GetAsync($"Users/{user["id"]}"),
            1 => client.GetAsync("Users/no-such-user"),
            _ => client.GetAsync("Users?filter=userName%20eq%20%22POOLED@x.com%22"),
        });
        var responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.NotFound));

        // The one session went back to the pool every time: a later read still gets it.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"Users/{user["id"]}")).StatusCode);
    }

    [Fact]
    public async Task CountStatement_SharedByQueriesWithAndWithoutSortBy_BindsItsOwnParameters()
    {
        // One session, so the second COUNT meets the prepared statement the first one left behind.
        await using var server = await ScimServer.StartAsync("--Storage:MaxReadConnections=1");
        using var client = await server.ClientAsync();
        await client.CreateUserAsync("c1@x.com", new System.Text.Json.Nodes.JsonObject { ["displayName"] = "B" });
        await client.CreateUserAsync("c2@x.com", new System.Text.Json.Nodes.JsonObject { ["displayName"] = "A" });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Users?count=1")).StatusCode);
        var sorted = await client.GetAsync("Users?sortBy=displayName&count=1");
        Assert.Equal(HttpStatusCode.OK, sorted.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await sorted.Content.ReadAsStringAsync())!;
        Assert.Equal(2, (int)body["totalResults"]!);
        Assert.Equal("c2@x.com", (string?)body["Resources"]![0]!["userName"]);
    }
}
