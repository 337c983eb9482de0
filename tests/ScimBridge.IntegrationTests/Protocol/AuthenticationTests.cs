using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>Bearer secrets, JWT bearer tokens and the failed-authentication throttle, over real HTTP.</summary>
public sealed class AuthenticationTests
{
    private const string Issuer = "https://issuer.test";
    private const string Audience = "scimbridge";

    [Fact]
    public async Task FailedAuth_AboveMaxFailuresPerWindow_Scim429WithRetryAfter()
    {
        await using var server = await ScimServer.StartAsync("--Auth:MaxFailuresPerWindow=3");
        using var bad = server.Client("scb_not-a-valid-secret-not-a-valid-secret-00");
        for (var i = 0; i < 3; i++)
        {
            var (failed, failedBody) = await bad.SendAsync(HttpMethod.Get, "Users");
            ScimHttp.AssertScimError(failed, failedBody, 401);
        }

        var (response, body) = await bad.SendAsync(HttpMethod.Get, "Users");
        ScimHttp.AssertScimError(response, body, 429);
        var retryAfter = response.Headers.RetryAfter;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter.Delta is { } delta && delta > TimeSpan.Zero && delta <= TimeSpan.FromSeconds(60), $"Retry-After: {retryAfter}");

        // The block is per address, before any credential check: even a valid secret waits.
        var created = await server.CreateConnectionAsync("okta-after-block", IdpKind.Okta);
        using var good = server.Client(created.Secret);
        var (blocked, blockedBody) = await good.SendAsync(HttpMethod.Get, "Users");
        ScimHttp.AssertScimError(blocked, blockedBody, 429);
    }

    [Fact]
    public async Task FailedAuth_BelowMaxFailuresPerWindow_ValidSecretStillServed()
    {
        await using var server = await ScimServer.StartAsync("--Auth:MaxFailuresPerWindow=3");
        using var bad = server.Client("scb_not-a-valid-secret-not-a-valid-secret-00");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("Users")).StatusCode);
        }

        using var good = await server.ClientAsync(IdpKind.Entra);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("Users")).StatusCode);
    }

    [Fact]
    public async Task Jwt_ValidTokenWithKnownAzp_Authenticated()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var server = await StartJwtServerAsync(key);
        await server.CreateConnectionAsync("entra-oauth", IdpKind.Entra, "app-123");
        using var client = server.Client(Token(key, claims: new() { ["azp"] = "app-123" }));

        var (response, body) = await client.SendAsync(HttpMethod.Get, "Users");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (int)body!["totalResults"]!);

        var user = await client.CreateUserAsync("jwt-user@x.com");
        var (get, got) = await client.SendAsync(HttpMethod.Get, $"Users/{user["id"]}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("jwt-user@x.com", (string?)got!["userName"]);
    }

    [Fact]
    public async Task Jwt_SameConnectionViaSecretAndToken_SeeSameUsers()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var server = await StartJwtServerAsync(key);
        var created = await server.CreateConnectionAsync("entra-both", IdpKind.Entra, "app-777");
        using var bySecret = server.Client(created.Secret);
        using var byToken = server.Client(Token(key, claims: new() { ["appid"] = "app-777" }));

        await bySecret.CreateUserAsync("both@x.com");
        var (_, body) = await byToken.SendAsync(HttpMethod.Get, "Users?filter=userName eq \"both@x.com\"");
        Assert.Equal(1, (int)body!["totalResults"]!);
    }

    public static TheoryData<string> BadTokens => new() { "wrong-audience", "expired", "unknown-azp", "wrong-issuer", "wrong-key", "not-yet-valid" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Jwt_InvalidToken_Scim401(string defect)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var server = await StartJwtServerAsync(key);
        await server.CreateConnectionAsync("entra-oauth", IdpKind.Entra, "app-123");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var token = defect switch
        {
            "wrong-audience" => Token(key, audience: "someone-else", claims: new() { ["azp"] = "app-123" }),
            "expired" => Token(key, notBefore: now.AddHours(-2), expires: now.AddHours(-1), claims: new() { ["azp"] = "app-123" }),
            "unknown-azp" => Token(key, claims: new() { ["azp"] = "app-999" }),
            "wrong-issuer" => Token(key, issuer: "https://evil.test", claims: new() { ["azp"] = "app-123" }),
            "wrong-key" => Token(RandomNumberGenerator.GetBytes(32), claims: new() { ["azp"] = "app-123" }),
            "not-yet-valid" => Token(key, notBefore: now.AddHours(1), expires: now.AddHours(2), claims: new() { ["azp"] = "app-123" }),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };
        using var client = server.Client(token);

        var (response, body) = await client.SendAsync(HttpMethod.Get, "Users");
        ScimHttp.AssertScimError(response, body, 401);

        // The same body as a wrong secret: the caller never learns which part was wrong.
        using var secretClient = server.Client("scb_wrong-secret-wrong-secret-wrong-secret-123");
        var (_, secretBody) = await secretClient.SendAsync(HttpMethod.Get, "Users");
        Assert.True(JsonNode.DeepEquals(body, secretBody), $"{body} vs {secretBody}");
    }

    private static Task<ScimServer> StartJwtServerAsync(byte[] key) => ScimServer.StartAsync(
        $"--Auth:Jwt:SigningKeys:0={Convert.ToBase64String(key)}",
        $"--Auth:Jwt:Issuer={Issuer}",
        $"--Auth:Jwt:Audience={Audience}");

    private static string Token(
        byte[] key, Dictionary<string, object> claims, string issuer = Issuer, string audience = Audience, DateTime? notBefore = null, DateTime? expires = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
