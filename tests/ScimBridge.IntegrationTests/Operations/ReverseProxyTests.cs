using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Operations;

/// <summary>Behind a TLS-terminating proxy: per-client throttling and the URLs clients are given.</summary>
public sealed class ReverseProxyTests
{
    [Fact]
    public async Task FailedAuthThrottle_BehindTrustedProxy_IsPerForwardedClient()
    {
        // Loopback is the proxy here (always trusted), so X-Forwarded-For names the client.
        await using var server = await ScimServer.StartAsync("--Auth:MaxFailuresPerWindow=2");
        var created = await server.CreateConnectionAsync("proxied");

        using var attacker = server.Client("scb_wrong-secret-wrong-secret-wrong-secret");
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("Users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("Users")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.GetAsync("Users")).StatusCode);

        using var idp = server.Client(created.Secret);
        idp.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, (await idp.GetAsync("Users")).StatusCode);
    }

    [Fact]
    public async Task Locations_UseForwardedSchemeAndHost()
    {
        await using var server = await ScimServer.StartAsync();
        using var client = await server.ClientAsync();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "scim.example.com");

        var user = await client.CreateUserAsync("proxied@x.com");
        Assert.StartsWith("https://scim.example.com/scim/v2/Users/", (string?)user["meta"]!["location"], StringComparison.Ordinal);
        var schemas = JsonNode.Parse(await client.GetStringAsync("Schemas"))!;
        Assert.StartsWith("https://scim.example.com/scim/v2/Schemas/", (string?)schemas["Resources"]![0]!["meta"]!["location"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_UsesPublicBaseUrl()
    {
        await using var server = await ScimServer.StartAsync("--Host:PublicBaseUrl=https://id.example.org/");
        using var client = server.Client();
        var config = JsonNode.Parse(await client.GetStringAsync("ServiceProviderConfig"))!;
        Assert.Equal("https://id.example.org/scim/v2/ServiceProviderConfig", (string?)config["meta"]!["location"]);
    }

    [Fact]
    public async Task Start_WithMalformedTrustedProxy_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => ScimServer.StartAsync("--Host:TrustedProxies:0=not-a-network"));
        Assert.Contains("Host:TrustedProxies:0", error.Message, StringComparison.Ordinal);
    }
}
