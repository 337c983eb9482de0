using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §3.4.2.3 (sortBy/sortOrder) and §3.4.2.4 (startIndex/count), idp-clients.md §4 "Pagination", E23, O20.</summary>
public sealed class PagingAndSortingTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task List_PagesOfSize1And5And7_ConcatenateToTheSingle100Page()
    {
        using var client = await _server.ClientAsync();
        var random = new Random(20261124);
        for (var i = 0; i < 23; i++)
        {
            // Random names so that creation order, id order and name order all differ.
            await client.CreateUserAsync($"{random.Next(1000, 9999)}-{i}@x.com");
        }

        var reference = await IdsAsync(client, "Users?startIndex=1&count=100&attributes=id");
        Assert.Equal(23, reference.Count);
        Assert.Equal(23, reference.Distinct().Count());

        foreach (var size in new[] { 1, 5, 7 })
        {
            var concatenated = new List<string>();
            for (var start = 1; start <= 23; start += size)
            {
                var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?startIndex={start}&count={size}&attributes=id");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(start, (int)body!["startIndex"]!);
                Assert.Equal(23, (int)body["totalResults"]!);
                Assert.Equal(Math.Min(size, 24 - start), (int)body["itemsPerPage"]!);
                concatenated.AddRange(body["Resources"]!.AsArray().Select(r => (string)r!["id"]!));
            }

            Assert.Equal(reference, concatenated);
        }

        // The same order under sortBy, too.
        var sorted = await IdsAsync(client, "Users?sortBy=userName&count=100");
        var sortedPaged = new List<string>();
        for (var start = 1; start <= 23; start += 7)
        {
            sortedPaged.AddRange(await IdsAsync(client, $"Users?sortBy=userName&startIndex={start}&count=7"));
        }

        Assert.Equal(sorted, sortedPaged);
    }

    [Fact]
    public async Task List_CountZero_TotalResultsOnly()
    {
        using var client = await CreateUsersAsync(_server, 3);
        var (response, body) = await client.SendAsync(HttpMethod.Get, "Users?count=0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (int)body!["totalResults"]!);
        Assert.Equal(0, (int)body["itemsPerPage"]!);
        Assert.Empty(body["Resources"]?.AsArray() ?? []);
    }

    [Theory]
    [InlineData("count=-1")]
    [InlineData("count=-1000&startIndex=2")]
    public async Task List_NegativeCount_TreatedAsZero(string query)
    {
        using var client = await CreateUsersAsync(_server, 3);
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (int)body!["totalResults"]!);
        Assert.Equal(0, (int)body["itemsPerPage"]!);
        Assert.Empty(body["Resources"]?.AsArray() ?? []);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task List_StartIndexBelowOne_TreatedAsOne(int startIndex)
    {
        using var client = await CreateUsersAsync(_server, 3);
        var first = await IdsAsync(client, "Users?startIndex=1&count=2");
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?startIndex={startIndex}&count=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)body!["startIndex"]!);
        Assert.Equal(first, body["Resources"]!.AsArray().Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task List_CountAboveMaxResults_Capped()
    {
        await using var server = await ScimServer.StartAsync("--Scim:MaxResults=5");
        using var client = await CreateUsersAsync(server, 7);
        foreach (var query in new[] { "count=50", "count=6", "" })
        {
            var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(7, (int)body!["totalResults"]!);
            Assert.Equal(5, (int)body["itemsPerPage"]!);
            Assert.Equal(5, body["Resources"]!.AsArray().Count);
        }

        var (_, config) = await client.SendAsync(HttpMethod.Get, "ServiceProviderConfig");
        Assert.Equal(5, (int)config!["filter"]!["maxResults"]!);
    }

    [Theory]
    [InlineData("count=abc")]
    [InlineData("startIndex=1.5")]
    public async Task List_NonIntegerPaging_Scim400(string query)
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?{query}");
        ScimHttp.AssertScimError(response, body, 400);
    }

    [Fact]
    public async Task List_SortByUserNameFamilyNameEmailsAndCreated_AscendingAndDescending()
    {
        using var client = await _server.ClientAsync();
        // (userName, familyName, email) permuted so that each sort key gives a different order.
        (string User, string Family, string Email)[] rows =
        [
            ("delta@x.com", "Alpha", "c@mail.com"),
            ("alpha@x.com", "Delta", "d@mail.com"),
            ("charlie@x.com", "Bravo", "a@mail.com"),
            ("bravo@x.com", "Charlie", "b@mail.com"),
        ];
        foreach (var (user, family, email) in rows)
        {
            await client.CreateUserAsync(user, new JsonObject
            {
                ["name"] = new JsonObject { ["givenName"] = "G", ["familyName"] = family },
                ["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["type"] = "work", ["primary"] = true }),
            });
        }

        Assert.Equal(["alpha@x.com", "bravo@x.com", "charlie@x.com", "delta@x.com"], await UserNamesAsync(client, "sortBy=userName"));
        Assert.Equal(["alpha@x.com", "bravo@x.com", "charlie@x.com", "delta@x.com"], await UserNamesAsync(client, "sortBy=USERNAME&sortOrder=ascending"));
        Assert.Equal(["delta@x.com", "charlie@x.com", "bravo@x.com", "alpha@x.com"], await UserNamesAsync(client, "sortBy=userName&sortOrder=descending"));
        Assert.Equal(["delta@x.com", "charlie@x.com", "bravo@x.com", "alpha@x.com"], await UserNamesAsync(client, "sortBy=name.familyName"));
        Assert.Equal(["alpha@x.com", "bravo@x.com", "charlie@x.com", "delta@x.com"], await UserNamesAsync(client, "sortBy=name.familyName&sortOrder=descending"));
        Assert.Equal(["charlie@x.com", "bravo@x.com", "delta@x.com", "alpha@x.com"], await UserNamesAsync(client, "sortBy=emails"));
        Assert.Equal(["alpha@x.com", "delta@x.com", "bravo@x.com", "charlie@x.com"], await UserNamesAsync(client, "sortBy=emails&sortOrder=descending"));
        Assert.Equal(["delta@x.com", "alpha@x.com", "charlie@x.com", "bravo@x.com"], await UserNamesAsync(client, "sortBy=meta.created"));
        Assert.Equal(["bravo@x.com", "charlie@x.com", "alpha@x.com", "delta@x.com"], await UserNamesAsync(client, "sortBy=meta.created&sortOrder=descending"));

        // Paging applies after sorting.
        Assert.Equal(["charlie@x.com", "bravo@x.com"], await UserNamesAsync(client, "sortBy=userName&sortOrder=descending&startIndex=2&count=2"));
    }

    [Fact]
    public async Task List_SortByMixedCaseUserNames_CaseInsensitiveOrder()
    {
        using var client = await _server.ClientAsync();
        foreach (var name in new[] { "b@x.com", "C@x.com", "a@x.com", "D@x.com" })
        {
            await client.CreateUserAsync(name);
        }

        Assert.Equal(["a@x.com", "b@x.com", "C@x.com", "D@x.com"], await UserNamesAsync(client, "sortBy=userName"));
    }

    [Fact]
    public async Task List_InvalidSortOrder_Scim400()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, "Users?sortBy=userName&sortOrder=sideways");
        ScimHttp.AssertScimError(response, body, 400);
    }

    [Fact]
    public async Task ListGroups_SortByDisplayNameDescending_Ordered()
    {
        using var client = await _server.ClientAsync();
        foreach (var name in new[] { "Beta", "alpha", "Gamma" })
        {
            await client.CreateGroupAsync(name);
        }

        var (_, body) = await client.SendAsync(HttpMethod.Get, "Groups?sortBy=displayName&sortOrder=descending&excludedAttributes=members");
        Assert.Equal(["Gamma", "Beta", "alpha"], body!["Resources"]!.AsArray().Select(r => (string)r!["displayName"]!));
    }

    private static async Task<HttpClient> CreateUsersAsync(ScimServer server, int count)
    {
        var client = await server.ClientAsync();
        for (var i = 0; i < count; i++)
        {
            await client.CreateUserAsync(string.Create(CultureInfo.InvariantCulture, $"user{i}@x.com"));
        }

        return client;
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string path)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body!["Resources"]!.AsArray().Select(r => (string)r!["id"]!)];
    }

    private static async Task<List<string>> UserNamesAsync(HttpClient client, string query)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body!["Resources"]!.AsArray().Select(r => (string)r!["userName"]!)];
    }
}
