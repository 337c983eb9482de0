using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>RFC 7644 §3.12 and idp-clients.md §4 "Errors": every error under /scim/v2, framework ones included, is the SCIM error schema.</summary>
public sealed class ErrorResponseTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    /// <summary>Nesting far beyond the reader's MaxDepth (64).</summary>
    private const string Deep =
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}";

    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task Unauthenticated_NoHeaderNonTokenOrWrongSecret_IdenticalScim401()
    {
        // A server of its own: these failures count towards the per-address throttle.
        await using var server = await ScimServer.StartAsync();
        using var none = server.Client();
        using var nonToken = server.Client();
        nonToken.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "non-token");
        using var wrong = server.Client("scb_wrong-secret-wrong-secret-wrong-secret-123");

        var bodies = new List<string>();
        foreach (var client in new[] { none, nonToken, wrong })
        {
            var response = await client.GetAsync("Users");
            var text = await response.Content.ReadAsStringAsync();
            ScimHttp.AssertScimError(response, JsonNode.Parse(text), 401);
            Assert.False(string.IsNullOrWhiteSpace((string?)JsonNode.Parse(text)!["detail"]));
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            bodies.Add(text);
        }

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Get_UnknownId_Scim404()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var (response, body) = await client.SendAsync(HttpMethod.Get, "Users/7c1b7e2e-0000-4000-8000-000000000000");
        ScimHttp.AssertScimError(response, body, 404);
        (response, body) = await client.SendAsync(HttpMethod.Get, "Groups/nope");
        ScimHttp.AssertScimError(response, body, 404);
    }

    [Theory]
    [InlineData("Nothing")]
    [InlineData("Users/abc/extra")]
    [InlineData("Bogus/Users")]
    public async Task Get_UnknownRouteUnderScim_Scim404(string path)
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, path);
        ScimHttp.AssertScimError(response, body, 404);
    }

    [Fact]
    public async Task WrongMethod_Scim405()
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Delete, "Users");
        ScimHttp.AssertScimError(response, body, 405);
        (response, body) = await client.SendAsync(HttpMethod.Put, "Groups", new JsonObject());
        ScimHttp.AssertScimError(response, body, 405);
    }

    [Fact]
    public async Task Post_BodyAboveMaxRequestBodyBytes_Scim413()
    {
        await using var server = await ScimServer.StartAsync("--Scim:MaxRequestBodyBytes=2048");
        using var client = await server.ClientAsync(IdpKind.Okta);
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = "big@x.com",
            ["displayName"] = new string('x', 4096),
        };
        var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", user);
        ScimHttp.AssertScimError(response, body, 413);

        // A chunked body (no Content-Length) is cut off at the limit too.
        using var chunked = new ChunkedContent(Encoding.UTF8.GetBytes(user.ToJsonString()));
        var chunkedResponse = await client.PostAsync("Users", chunked);
        ScimHttp.AssertScimError(chunkedResponse, JsonNode.Parse(await chunkedResponse.Content.ReadAsStringAsync()), 413);

        // Just below the limit still works.
        user["displayName"] = new string('x', 1024);
        (response, _) = await client.SendAsync(HttpMethod.Post, "Users", user);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_TextPlain_Scim415()
    {
        using var client = await _server.ClientAsync();
        using var content = new StringContent("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"plain@x.com"}""", Encoding.UTF8, "text/plain");
        var response = await client.PostAsync("Users", content);
        ScimHttp.AssertScimError(response, JsonNode.Parse(await response.Content.ReadAsStringAsync()), 415);

        var (list, _) = await client.SendAsync(HttpMethod.Get, "Users?filter=userName eq \"plain@x.com\"");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, (int)JsonNode.Parse(await list.Content.ReadAsStringAsync())!["totalResults"]!);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/scim+json; charset=utf-8")]
    [InlineData("application/json; charset=utf-8")]
    public async Task Post_JsonMediaTypeVariants_Accepted(string mediaType)
    {
        using var client = await _server.ClientAsync();
        using var content = ScimHttp.Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{Guid.NewGuid():N}}@x.com"}""", "application/json");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        var response = await client.PostAsync("Users", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(ScimHttp.MediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("POST", "Users", "{\"userName\": ")]
    [InlineData("POST", "Groups", "{displayName: 'x'}")]
    [InlineData("PATCH", "Users/{id}", "{\"Operations\": [ {\"op\": \"replace\" ")]
    [InlineData("PUT", "Users/{id}", "not json at all")]
    [InlineData("POST", "Users/.search", "{\"filter\": }")]
    [InlineData("POST", "Users", "{\"userName\":\"deep@x.com\",\"x\":" + Deep)]
    [InlineData("PATCH", "Users/{id}", "[1,2]")]
    [InlineData("POST", "Users", "")]
    public async Task Write_MalformedJson_Scim400InvalidSyntax(string method, string path, string text)
    {
        using var client = await _server.ClientAsync();
        var user = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com");
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", (string)user["id"]!, StringComparison.Ordinal))
        {
            Content = ScimHttp.Json(text),
        };
        var response = await client.SendAsync(request);
        ScimHttp.AssertScimError(response, JsonNode.Parse(await response.Content.ReadAsStringAsync()), 400, "invalidSyntax");
    }

    [Theory]
    [InlineData("userName eq")]
    [InlineData("userName xx \"a\"")]
    [InlineData("(userName eq \"a\"")]
    [InlineData("userName eq \"a\" and")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("\"a\" eq userName")]
    [InlineData("noSuchAttribute eq \"a\"")]
    public async Task List_InvalidFilter_Scim400InvalidFilter(string filter)
    {
        using var client = await _server.ClientAsync();
        var (response, body) = await client.SendAsync(HttpMethod.Get, $"Users?filter={Uri.EscapeDataString(filter)}");
        ScimHttp.AssertScimError(response, body, 400, "invalidFilter");
    }

    [Fact]
    public async Task Responses_SuccessAndError_AlwaysScimJson()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        var user = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com");
        var id = (string)user["id"]!;
        string[] paths = ["Users", $"Users/{id}", "Groups", "ServiceProviderConfig", "ResourceTypes", "Schemas", "Users/missing", "Me"];
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(ScimHttp.MediaType, response.Content.Headers.ContentType?.MediaType);
        }

        var patch = await client.PatchAsync($"Users/{id}", ScimHttp.Json("""{"Operations":[{"op":"replace","path":"nickName","value":"n"}]}"""));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(ScimHttp.MediaType, patch.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A body sent with Transfer-Encoding: chunked, so the server cannot refuse it by Content-Length.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = ScimHttp.ScimMediaType;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 512)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(512, _bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
