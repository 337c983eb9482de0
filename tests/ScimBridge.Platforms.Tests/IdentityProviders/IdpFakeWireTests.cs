using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators.IdentityProviders;
using ScimBridge.Simulators.IdentityProviders.Graph;
using ScimBridge.Simulators.IdentityProviders.Okta;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary>The fakes answer as the real APIs do where a client depends on it: envelopes, links and throttling headers.</summary>
public sealed class IdpFakeWireTests
{
    [Fact]
    public async Task Okta429_HasRateLimitHeadersAndNoRetryAfter_ListsPageWithLinkHeaders()
    {
        var okta = new OktaSimulator(TimeProvider.System) { PageSizeCap = 1 };
        okta.UpsertUser(new OktaSimUser("00u1", "a@example.com", "ACTIVE"));
        okta.UpsertUser(new OktaSimUser("00u2", "b@example.com", "ACTIVE"));
        okta.AssignUser("00u1");
        okta.AssignUser("00u2");
        await using var sim = await SimulatorHost.StartAsync(okta, "okta-token");
        using var http = new HttpClient { BaseAddress = sim.Root };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", "okta-token");
        sim.Control.ThrottleNext(1, retryAfterSeconds: 7);

        using var throttled = await http.GetAsync($"api/v1/apps/{okta.AppId}/users");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Null(throttled.Headers.RetryAfter);
        Assert.Equal("0", throttled.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(throttled.Headers.GetValues("X-Rate-Limit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(reset - TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8));
        Assert.Equal("E0000047", (string)(await throttled.Content.ReadFromJsonAsync<JsonObject>())!["errorCode"]!);

        using var page = await http.GetAsync($"api/v1/apps/{okta.AppId}/users?limit=1");
        var links = page.Headers.GetValues("Link").ToList();
        Assert.Contains(links, l => l.EndsWith("rel=\"self\"", StringComparison.Ordinal));
        Assert.Contains(links, l => l.Contains("after=00u1", StringComparison.Ordinal) && l.EndsWith("rel=\"next\"", StringComparison.Ordinal));
        Assert.Equal("00u1", (string)Assert.Single((await page.Content.ReadFromJsonAsync<JsonArray>())!)!["id"]!);

        using var wrong = new HttpClient { BaseAddress = sim.Root };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync($"api/v1/apps/{okta.AppId}/users")).StatusCode);
    }

    [Fact]
    public async Task Graph_TokenThenPagedListWithNextLinkAndDeltaLatest()
    {
        var graph = new GraphSimulator(TimeProvider.System) { PageSize = 1 };
        graph.UpsertUser(new GraphSimUser("00000000-0000-4000-8000-000000000001", "a@contoso.com", "A", true));
        graph.UpsertUser(new GraphSimUser("00000000-0000-4000-8000-000000000002", "b@contoso.com", "B", true));
        graph.UpsertGroup(new GraphSimGroup("00000000-0000-4000-8000-0000000000g1", "G", ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]));
        await using var sim = await SimulatorHost.StartAsync(graph, "graph-secret", "https://127.0.0.1:0");
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && Convert.ToHexString(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)) == LoopbackCertificate.Thumbprint;
        using var http = new HttpClient(handler) { BaseAddress = sim.Root };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("v1.0/users/delta")).StatusCode);
        using var bad = await http.PostAsync("tenant/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "c", ["client_secret"] = "wrong", ["scope"] = "https://graph.microsoft.com/.default",
        }));
        Assert.Equal("invalid_client", (string)(await bad.Content.ReadFromJsonAsync<JsonObject>())!["error"]!);
        using var token = await http.PostAsync("tenant/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "c", ["client_secret"] = "graph-secret", ["scope"] = "https://graph.microsoft.com/.default",
        }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!);

        var first = (await http.GetFromJsonAsync<JsonObject>("v1.0/groups/00000000-0000-4000-8000-0000000000g1/members?$select=id,accountEnabled"))!;
        Assert.Single(first["value"]!.AsArray());
        Assert.Equal("#microsoft.graph.user", (string)first["value"]![0]!["@odata.type"]!);
        Assert.Null(first["value"]![0]!["userPrincipalName"]);
        var second = (await http.GetFromJsonAsync<JsonObject>((string)first["@odata.nextLink"]!))!;
        Assert.Null(second["@odata.nextLink"]);
        Assert.Equal("00000000-0000-4000-8000-000000000002", (string)second["value"]![0]!["id"]!);

        var latest = (await http.GetFromJsonAsync<JsonObject>("v1.0/users/delta?$deltatoken=latest"))!;
        Assert.Empty(latest["value"]!.AsArray());
        Assert.Contains("$deltatoken=", (string)latest["@odata.deltaLink"]!, StringComparison.Ordinal);
    }
}
