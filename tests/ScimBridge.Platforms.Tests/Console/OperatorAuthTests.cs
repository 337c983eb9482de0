using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimBridge.Api.Operators;
using ScimBridge.Platforms.Tests.Scim;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>
/// The /admin auth rules over real HTTP (an in-process ScimBridge on loopback): the shared token, console sessions
/// with roles and CSRF, operator JWTs, and the failed-sign-in throttle. No browser.
/// </summary>
public sealed class OperatorAuthTests : IAsyncLifetime
{
    // A change any admin may make that answers 404 once past auth: retrying a dead letter that does not exist.
    private const string AdminChange = "admin/work/987654/retry";

    private ScimBridgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ScimBridgeServer.StartAsync(ConsoleOperators.Args());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_shared_token_is_an_admin_named_admin_token_and_a_wrong_one_gets_401_problem_details()
    {
        using var token = ConsoleOperators.Client(_server.Root, ConsoleOperators.Token);
        var me = (await token.GetFromJsonAsync<JsonObject>("admin/operator"))!;
        Assert.Equal(("admin-token", "admin", "token"), ((string)me["name"]!, (string)me["role"]!, (string)me["method"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await token.PostAsync(AdminChange, null)).StatusCode);

        using var wrong = ConsoleOperators.Client(_server.Root, "operator-console-token-0123456780");
        using var refused = await wrong.GetAsync("admin/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);

        using var none = ConsoleOperators.Client(_server.Root);
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync("admin/runs")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_refuses_a_wrong_password_and_an_unknown_name_and_sets_a_strict_http_only_cookie_for_the_right_one()
    {
        using var anonymous = ConsoleOperators.Client(_server.Root);
        using var wrong = await anonymous.PostAsJsonAsync("console/api/sign-in", new { name = ConsoleOperators.AdminName, password = "alice-wrong-horse-42" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        using var unknown = await anonymous.PostAsJsonAsync("console/api/sign-in", new { name = "mallory", password = ConsoleOperators.AdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((string)(await wrong.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, (string)(await unknown.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!);

        // A form post from another site cannot send JSON without a CORS preflight, which this server never grants.
        using var form = await anonymous.PostAsync("console/api/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "alice", ["password"] = ConsoleOperators.AdminPassword }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);

        using var session = await ConsoleOperators.SignInAsync(_server.Root, "ALICE", ConsoleOperators.AdminPassword);
        Assert.StartsWith(OperatorSessions.CookieName + "=", session.SetCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", session.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", session.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session.SetCookie, StringComparison.OrdinalIgnoreCase); // plain http on loopback
        Assert.DoesNotContain(ConsoleOperators.AdminPassword, session.SetCookie, StringComparison.Ordinal);

        var me = (await session.Client.GetFromJsonAsync<JsonObject>("admin/operator"))!;
        Assert.Equal(("alice", "admin", "session"), ((string)me["name"]!, (string)me["role"]!, (string)me["method"]!));

        // Each checked attempt is in the audit trail, by operator name; a name that is not an operator is not recorded as typed.
        using var token = ConsoleOperators.Client(_server.Root, ConsoleOperators.Token);
        var events = (await token.GetFromJsonAsync<JsonObject>("admin/audit?kind=operator.action&limit=100"))!["events"]!.AsArray()
            .Where(e => (string?)e!["action"] == "POST /console/api/sign-in").Select(e => ((string)e!["actor"]!, (string)e["outcome"]!)).ToList();
        Assert.Equal([("alice", "success"), ("(unknown operator)", "denied"), ("alice", "denied")], events);
        var export = await token.GetStringAsync("admin/audit/export?format=jsonl");
        Assert.DoesNotContain("mallory", export, StringComparison.Ordinal);
        Assert.DoesNotContain("horse", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_may_read_but_a_forged_change_gets_403_even_with_its_csrf_token()
    {
        using var reader = await ConsoleOperators.SignInAsync(_server.Root, ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);
        Assert.Equal("reader", reader.Role);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync("admin/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync("admin/connections")).StatusCode);

        using var change = await reader.Client.SendAsync(ConsoleSession.Post(AdminChange, reader.Csrf));
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Contains("admin role", (string)(await change.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, StringComparison.Ordinal);
        using var reconcile = await reader.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "admin/reconcile")
        {
            Content = JsonContent.Create(new { dryRun = true }),
            Headers = { { OperatorAuthenticator.CsrfHeader, reader.Csrf } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, reconcile.StatusCode);

        // A policy preview is a POST that changes nothing: a reader may make it (the answer depends on the policy, not the role).
        using var preview = await reader.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "admin/policy/preview")
        {
            Content = JsonContent.Create(new { connection = "nobody", userName = "nobody@example.com" }),
            Headers = { { OperatorAuthenticator.CsrfHeader, reader.Csrf } },
        });
        Assert.True(preview.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"preview answered {preview.StatusCode}");
    }

    [Fact]
    public async Task A_cookie_authenticated_change_needs_the_sessions_csrf_token()
    {
        using var admin = await ConsoleOperators.SignInAsync(_server.Root, ConsoleOperators.AdminName, ConsoleOperators.AdminPassword);
        using var other = await ConsoleOperators.SignInAsync(_server.Root, ConsoleOperators.AdminName, ConsoleOperators.AdminPassword);

        using var missing = await admin.Client.SendAsync(ConsoleSession.Post(AdminChange));
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("CSRF check failed", (string)(await missing.Content.ReadFromJsonAsync<JsonObject>())!["title"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Client.SendAsync(ConsoleSession.Post(AdminChange, other.Csrf))).StatusCode);

        // Past authentication and authorisation: the handler answers (no such dead letter).
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.SendAsync(ConsoleSession.Post(AdminChange, admin.Csrf))).StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_a_tampered_cookie_is_refused()
    {
        using var session = await ConsoleOperators.SignInAsync(_server.Root, ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("console/api/session")).StatusCode);

        // Promote the payload's role to admin: the signature no longer matches.
        var value = session.SetCookie.Split(';')[0][(OperatorSessions.CookieName.Length + 1)..];
        var payload = value.Split('.')[0];
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (payload.Length % 4)) % 4)));
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json.Replace("\"reader\"", "\"admin\"", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var tampered = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _server.Root };
        tampered.DefaultRequestHeaders.Add("Cookie", $"{OperatorSessions.CookieName}={forged}.{value.Split('.')[1]}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await tampered.GetAsync("admin/runs")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.SendAsync(ConsoleSession.Post("console/api/sign-out"))).StatusCode); // no CSRF token
        using var signOut = await session.Client.SendAsync(ConsoleSession.Post("console/api/sign-out", session.Csrf));
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", signOut.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        // The old cookie, replayed, is dead.
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("admin/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("console/api/session")).StatusCode);
    }

    [Fact]
    public async Task An_operator_jwt_maps_its_role_claim_and_bad_tokens_get_401()
    {
        using var admin = ConsoleOperators.Client(_server.Root, ConsoleOperators.Jwt(OperatorJwtOptions.DefaultAdminRole));
        var me = (await admin.GetFromJsonAsync<JsonObject>("admin/operator"))!;
        Assert.Equal(("deploy-bot@contoso.com", "admin", "jwt"), ((string)me["name"]!, (string)me["role"]!, (string)me["method"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(AdminChange, null)).StatusCode); // no CSRF needed: not a cookie

        using var reader = ConsoleOperators.Client(_server.Root, ConsoleOperators.Jwt(OperatorJwtOptions.DefaultReaderRole));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("admin/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync(AdminChange, null)).StatusCode);

        using var noRole = ConsoleOperators.Client(_server.Root, ConsoleOperators.Jwt(role: null));
        Assert.Equal(HttpStatusCode.Forbidden, (await noRole.GetAsync("admin/runs")).StatusCode);

        foreach (var bad in new[]
        {
            ConsoleOperators.Jwt(OperatorJwtOptions.DefaultAdminRole, audience: "api://someone-else"),
            ConsoleOperators.Jwt(OperatorJwtOptions.DefaultAdminRole, key: Convert.ToBase64String(new byte[32])),
            ConsoleOperators.Jwt(OperatorJwtOptions.DefaultAdminRole, lifetime: TimeSpan.FromMinutes(-10)),
        })
        {
            using var client = ConsoleOperators.Client(_server.Root, bad);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("admin/runs")).StatusCode);
        }
    }

    [Fact]
    public async Task The_connections_and_targets_lists_never_carry_secrets()
    {
        using var reader = ConsoleOperators.Client(_server.Root, ConsoleOperators.Jwt(OperatorJwtOptions.DefaultReaderRole));
        using var response = await reader.GetAsync("admin/connections");
        var text = await response.Content.ReadAsStringAsync();
        var connection = Assert.Single(JsonNode.Parse(text)!.AsArray())!;
        Assert.Equal(_server.ConnectionName, (string)connection["name"]!);
        Assert.Equal("generic", (string)connection["kind"]!);
        Assert.DoesNotContain(_server.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await reader.GetFromJsonAsync<JsonArray>("admin/targets"))!);
    }
}
