using System.Net;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>The bounded pool of SQLite read sessions: requests beyond it wait for a session, none is lost.</summary>
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
}
