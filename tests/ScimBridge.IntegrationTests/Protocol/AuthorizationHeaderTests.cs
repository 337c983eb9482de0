using System.Net;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>The shapes of Authorization header an admin can produce in Okta's "HTTP Header" auth field.</summary>
public sealed class AuthorizationHeaderTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    [Theory]
    [InlineData("Bearer {0}", HttpStatusCode.OK)]
    [InlineData("bearer {0}", HttpStatusCode.OK)]
    [InlineData("{0}", HttpStatusCode.OK)]
    [InlineData("Bearer Bearer {0}", HttpStatusCode.OK)]
    [InlineData("Basic {0}", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer x{0}", HttpStatusCode.Unauthorized)]
    public async Task Header_Shapes_AuthenticateOnlyWithTheSecret(string format, HttpStatusCode expected)
    {
        var created = await fixture.Server.CreateConnectionAsync($"header-{Guid.NewGuid():N}");
        using var client = fixture.Server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "Users");
        request.Headers.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, created.Secret));
        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }
}
