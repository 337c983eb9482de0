using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Api.Operators;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>The operators, JWT settings and helpers the console tests share: an admin, a reader, a signing key.</summary>
public static class ConsoleOperators
{
    public const string AdminName = "alice";
    public const string AdminPassword = "alice-correct-horse-42";
    public const string ReaderName = "rob";
    public const string ReaderPassword = "rob-battery-staple-77";
    public const string Token = "operator-console-token-0123456789";
    public const string JwtIssuer = "https://idp.example.test/";
    public const string JwtAudience = "api://scimbridge-admin";

    public static readonly string SigningKey = Convert.ToBase64String("console-tests-hmac-key-0123456789abcdef"u8.ToArray());

    // Hashed once: 210,000 PBKDF2 rounds each.
    private static readonly Lazy<(string Admin, string Reader)> Hashes = new(() => (OperatorPasswordHasher.Hash(AdminPassword), OperatorPasswordHasher.Hash(ReaderPassword)));

    public static string AdminHash => Hashes.Value.Admin;

    /// <summary>Configuration giving the server the shared token, both operators and operator JWTs.</summary>
    public static string[] Args(bool token = true, bool jwt = true) =>
    [
        .. token ? [$"--Admin:Token={Token}"] : Array.Empty<string>(),
        $"--Admin:Operators:0:Name={AdminName}", "--Admin:Operators:0:Role=admin", $"--Admin:Operators:0:PasswordHash={Hashes.Value.Admin}",
        $"--Admin:Operators:1:Name={ReaderName}", "--Admin:Operators:1:Role=reader", $"--Admin:Operators:1:PasswordHash={Hashes.Value.Reader}",
        .. jwt ? [$"--Admin:Jwt:SigningKey={SigningKey}", $"--Admin:Jwt:Issuer={JwtIssuer}", $"--Admin:Jwt:Audience={JwtAudience}"] : Array.Empty<string>(),
    ];

    public static string Jwt(string? role, string audience = JwtAudience, string? key = null, TimeSpan? lifetime = null, string name = "deploy-bot@contoso.com")
    {
        var claims = new List<Claim> { new("sub", "f7c1"), new("preferred_username", name) };
        if (role is not null)
        {
            claims.Add(new Claim("roles", role));
        }

        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtIssuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now + life - TimeSpan.FromMinutes(20),
            NotBefore = now + life - TimeSpan.FromMinutes(20),
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A client with a bearer credential (or none).</summary>
    public static HttpClient Client(Uri root, string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = root };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Signs in through the console's API; the client then carries the session cookie, the session its CSRF token.</summary>
    public static async Task<ConsoleSession> SignInAsync(Uri root, string name, string password)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = root };
        using var response = await client.PostAsJsonAsync("console/api/sign-in", new { name, password });
        response.EnsureSuccessStatusCode();
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        client.DefaultRequestHeaders.Add("Cookie", setCookie.Split(';')[0]);
        return new ConsoleSession(client, (string)body["csrf"]!, setCookie, (string)body["role"]!);
    }
}

public sealed record ConsoleSession(HttpClient Client, string Csrf, string SetCookie, string Role) : IDisposable
{
    public static HttpRequestMessage Post(string path, string? csrf = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (csrf is not null)
        {
            request.Headers.Add(OperatorAuthenticator.CsrfHeader, csrf);
        }

        return request;
    }

    public void Dispose() => Client.Dispose();
}
