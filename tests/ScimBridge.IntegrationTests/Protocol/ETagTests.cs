using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §3.14: meta.version is the weak ETag; If-None-Match and If-Match are honoured.</summary>
public sealed class ETagTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private const string Stale = "W/\"999999\"";

    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task Responses_ETagHeader_EqualsMetaVersion()
    {
        using var client = await _server.ClientAsync();
        var (created, createdBody) = await client.SendAsync(HttpMethod.Post, "Users", User("etag1@x.com"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.ETag);
        Assert.True(created.Headers.ETag!.IsWeak);
        Assert.Equal((string?)createdBody!["meta"]!["version"], created.Headers.ETag.ToString());

        var id = (string)createdBody["id"]!;
        var (get, getBody) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal((string?)getBody!["meta"]!["version"], get.Headers.ETag!.ToString());

        var (patch, patchBody) = await client.SendAsync(HttpMethod.Patch, $"Users/{id}", Patch("nickName", "n"));
        Assert.Equal((string?)patchBody!["meta"]!["version"], patch.Headers.ETag!.ToString());
        Assert.NotEqual(get.Headers.ETag.ToString(), patch.Headers.ETag.ToString());
    }

    [Fact]
    public async Task Get_IfNoneMatchCurrent_304ThenChanged200()
    {
        using var client = await _server.ClientAsync();
        var (id, etag) = await CreateAsync(client, "etag2@x.com");

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"Users/{id}");
        conditional.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"Users/{id}");
        stale.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(Stale));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task PutPatchDelete_IfMatchMismatch_Scim412AndUnchanged()
    {
        using var client = await _server.ClientAsync();
        var (id, etag) = await CreateAsync(client, "etag3@x.com");

        var put = await SendAsync(client, HttpMethod.Put, $"Users/{id}", User("etag3-renamed@x.com"), Stale);
        ScimHttp.AssertScimError(put.Response, put.Body, 412);
        var patch = await SendAsync(client, HttpMethod.Patch, $"Users/{id}", Patch("nickName", "x"), Stale);
        ScimHttp.AssertScimError(patch.Response, patch.Body, 412);
        var delete = await SendAsync(client, HttpMethod.Delete, $"Users/{id}", null, Stale);
        ScimHttp.AssertScimError(delete.Response, delete.Body, 412);

        var (get, body) = await client.SendAsync(HttpMethod.Get, $"Users/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("etag3@x.com", (string?)body!["userName"]);
        Assert.Null(body["nickName"]);
        Assert.Equal(etag, get.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task PutPatchDelete_IfMatchCurrent_Succeed()
    {
        using var client = await _server.ClientAsync();
        var (id, etag) = await CreateAsync(client, "etag4@x.com");

        var patch = await SendAsync(client, HttpMethod.Patch, $"Users/{id}", Patch("nickName", "x"), etag);
        Assert.Equal(HttpStatusCode.OK, patch.Response.StatusCode);
        var afterPatch = patch.Response.Headers.ETag!.ToString();

        // The old tag is now stale.
        var stalePut = await SendAsync(client, HttpMethod.Put, $"Users/{id}", User("etag4@x.com"), etag);
        ScimHttp.AssertScimError(stalePut.Response, stalePut.Body, 412);

        var put = await SendAsync(client, HttpMethod.Put, $"Users/{id}", User("etag4b@x.com"), afterPatch);
        Assert.Equal(HttpStatusCode.OK, put.Response.StatusCode);
        Assert.Equal("etag4b@x.com", (string?)put.Body!["userName"]);

        var delete = await SendAsync(client, HttpMethod.Delete, $"Users/{id}", null, put.Response.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, delete.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"Users/{id}")).StatusCode);
    }

    [Fact]
    public async Task PatchGroup_IfMatch_MismatchAndMatch()
    {
        using var client = await _server.ClientAsync();
        var user = (string)(await client.CreateUserAsync("etag5@x.com"))["id"]!;
        var (created, body) = await client.SendAsync(HttpMethod.Post, "Groups", JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Tagged"}"""));
        var id = (string)body!["id"]!;
        var etag = created.Headers.ETag!.ToString();
        var members = JsonNode.Parse($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{user}}"}]}]}""");

        var stale = await SendAsync(client, HttpMethod.Patch, $"Groups/{id}", members, Stale);
        ScimHttp.AssertScimError(stale.Response, stale.Body, 412);
        var (_, unchanged) = await client.SendAsync(HttpMethod.Get, $"Groups/{id}");
        Assert.Empty(unchanged!["members"]!.AsArray());

        var ok = await SendAsync(client, HttpMethod.Patch, $"Groups/{id}", members, etag);
        Assert.Equal(HttpStatusCode.NoContent, ok.Response.StatusCode);
        Assert.NotEqual(etag, ok.Response.Headers.ETag?.ToString());
    }

    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
    };

    private static JsonObject Patch(string path, string value) =>
        new JsonObject { ["Operations"] = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = value }) };

    private static async Task<(string Id, string ETag)> CreateAsync(HttpClient client, string userName)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", User(userName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((string)body!["id"]!, response.Headers.ETag!.ToString());
    }

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body, string ifMatch)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = ScimHttp.Json(body);
        }

        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
