using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Platforms.Tests.Reconciliation;
using ScimBridge.Simulators.Cursor;

namespace ScimBridge.Platforms.Tests.Reports;

/// <summary>
/// A real scimbridge process and the three simulators, seeded with known non-human identities: on OpenAI an owned key
/// (key_ok), a leaver's key (key_leaver, orphaned), a key of a departed user (key_gone, orphaned), a stale key
/// (key_stale), an unrotated key (key_old), a key of a user no IdP identity owns (key_shadow, shadow, named like a
/// spreadsheet formula), a service account with its key (shadow), and keys to revoke; on Anthropic a leaver's key and
/// an owned one; audit events by an identity, a deprovisioned identity and an unknown key on OpenAI and Cursor, and
/// yesterday's Claude Code usage on Anthropic by ada, by leaver and through leaver's key. The IdP has ada (active, in
/// AI-OpenAI-Research) and leaver (deactivated).
/// </summary>
public sealed class ReportsFixture : IAsyncLifetime
{
    public const string FormulaName = "=HYPERLINK(\"http://evil.test\",\"x\")";

    public BridgeWithSimulators Bridge { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The UTC day of the seeded Claude Code usage, as the report's ids spell it.</summary>
    public static string UsageDay { get; } = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static long Ago(double days) => DateTimeOffset.UtcNow.AddDays(-days).ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        Bridge = await BridgeWithSimulators.StartSimulatorsAsync();
        Bridge.OpenAI.Platform.Seed(Stream(OpenAISeed()));
        Bridge.Anthropic.Platform.Seed(Stream(AnthropicSeed()));
        Bridge.Cursor.Platform.UpsertMember(new CursorSimMember("user_ada00000000000000000000001", "Ada", "ada@contoso.com", "member", false));
        Bridge.Cursor.Platform.AddAuditEvents(
        [
            new CursorSimAuditEvent("evt_cursor_leaver", DateTimeOffset.UtcNow.AddHours(-3), "198.51.100.9", "leaver@contoso.com", "login"),
        ]);

        await Bridge.StartBridgeAsync(
            "--Platforms:Targets:openai:Owner=AI Platform Team", "--Platforms:Targets:openai:Description=Research models",
            "--Activity:Scheduled=false");
        Admin = new HttpClient { BaseAddress = Bridge.Root };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BridgeWithSimulators.OperatorToken);

        var ada = await CreateUserAsync("ada@contoso.com", active: true);
        await CreateUserAsync("leaver@contoso.com", active: false);
        using var group = await Bridge.Scim.PostAsJsonAsync("Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "AI-OpenAI-Research",
            ["members"] = new JsonArray(new JsonObject { ["value"] = ada }),
        });
        group.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        await Bridge.DisposeAsync();
    }

    public async Task<JsonObject> GetAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string> CreateUserAsync(string userName, bool active)
    {
        using var response = await Bridge.Scim.PostAsJsonAsync("Users", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = active,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
        });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OpenAISeed()
    {
        static string User(string id, string email, string role) =>
            $$$"""{"object":"organization.user","id":"{{{id}}}","name":"{{{id}}}","email":"{{{email}}}","role":"{{{role}}}","added_at":1711471533}""";
        static string Key(string id, string name, double createdDaysAgo, double? usedDaysAgo, string ownerId, string ownerEmail) =>
            $$$"""
            {"object":"organization.project.api_key","id":"{{{id}}}","name":{{{System.Text.Json.JsonSerializer.Serialize(name)}}},"redacted_value":"sk-...{{{id[^2..]}}}",
             "created_at":{{{I(Ago(createdDaysAgo))}}},"last_used_at":{{{(usedDaysAgo is { } u ? I(Ago(u)) : "null")}}},"owner_project_access":"active",
             "owner":{"type":"user","user":{"id":"{{{ownerId}}}","email":"{{{ownerEmail}}}","name":"{{{ownerId}}}","created_at":1711471533,"role":"member"} } }
            """;
        var now = DateTimeOffset.UtcNow;
        return $$$"""
            {"users":[{{{User("user-olivia", "olivia@contoso.com", "owner")}}},{{{User("user-ada", "ada@contoso.com", "reader")}}},
                      {{{User("user-leaver", "leaver@contoso.com", "reader")}}},{{{User("user-contractor", "contractor@gmail.com", "reader")}}}],
             "projects":[{"object":"organization.project","id":"proj_research","name":"research","created_at":1711471533,"archived_at":null,"status":"active",
               "users":[{"object":"organization.project.user","id":"user-ada","name":"Ada","email":"ada@contoso.com","role":"member","added_at":1711471533}],
               "service_accounts":[{"object":"organization.project.service_account","id":"svc_ci","name":"ci","role":"member","created_at":{{{I(Ago(100))}}}}],
               "api_keys":[
                 {{{Key("key_ok", "laptop", 10, 1, "user-ada", "ada@contoso.com")}}},
                 {{{Key("key_leaver", "leaver laptop", 10, 1, "user-leaver", "leaver@contoso.com")}}},
                 {{{Key("key_gone", "departed", 10, 1, "user-departed", "departed@contoso.com")}}},
                 {{{Key("key_stale", "forgotten", 60, 50, "user-ada", "ada@contoso.com")}}},
                 {{{Key("key_old", "ancient", 120, 1, "user-ada", "ada@contoso.com")}}},
                 {{{Key("key_shadow", FormulaName, 5, 1, "user-contractor", "contractor@gmail.com")}}},
                 {{{Key("key_revoke", "to revoke", 10, 1, "user-leaver", "leaver@contoso.com")}}},
                 {"object":"organization.project.api_key","id":"key_ci","name":"ci key","redacted_value":"sk-svcacct-...ci","created_at":{{{I(Ago(100))}}},
                  "last_used_at":{{{I(Ago(2))}}},"owner_project_access":"active","owner":{"type":"service_account","service_account":{"id":"svc_ci","name":"ci","role":"member","created_at":{{{I(Ago(100))}}} } } }]}],
             "audit_logs":[
               {"id":"audit_ada","type":"login.succeeded","effective_at":{{{I(now.AddHours(-1).ToUnixTimeSeconds())}}},
                "actor":{"type":"session","session":{"user":{"id":"user-ada","email":"ada@contoso.com"},"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11)"} } },
               {"id":"audit_leaver","type":"login.succeeded","effective_at":{{{I(now.AddHours(-2).ToUnixTimeSeconds())}}},
                "actor":{"type":"session","session":{"user":{"id":"user-leaver","email":"leaver@contoso.com"},"ip_address":"198.51.100.4","user_agent":"curl/8.5"} } },
               {"id":"audit_unknown_key","type":"project.updated","effective_at":{{{I(now.AddHours(-4).ToUnixTimeSeconds())}}},
                "actor":{"type":"api_key","api_key":{"id":"key_nobody_knows","type":"user"} } },
               {"id":"audit_ci","type":"project.updated","effective_at":{{{I(now.AddHours(-5).ToUnixTimeSeconds())}}},
                "actor":{"type":"api_key","api_key":{"id":"key_ci","type":"service_account","service_account":{"id":"svc_ci"} } } }]}
            """;
    }

    private static string AnthropicSeed()
    {
        var created = DateTimeOffset.UtcNow.AddDays(-120).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $$"""
            {"organization":{"id":"12345678-1234-5678-1234-567812345678","name":"Contoso","type":"organization"},
             "users":[{"type":"user","id":"user_ada","email":"ada@contoso.com","name":"Ada","role":"user","added_at":"2025-01-01T00:00:00Z"},
                      {"type":"user","id":"user_leaver","email":"leaver@contoso.com","name":"Leaver","role":"user","added_at":"2025-01-01T00:00:00Z"}],
             "invites":[],"workspaces":[],"workspace_members":[],
             "api_keys":[
               {"type":"api_key","id":"apikey_leaver","name":"leaver key","status":"active","created_at":"{{created}}","partial_key_hint":"sk-ant-api03-AAA...aaaa",
                "created_by":{"id":"user_leaver","type":"user"},"workspace_id":null},
               {"type":"api_key","id":"apikey_ada","name":"ada key","status":"active","created_at":"{{created}}","partial_key_hint":"sk-ant-api03-BBB...bbbb",
                "created_by":{"id":"user_ada","type":"user"},"workspace_id":null}],
             "claude_code_usage":[
               {"actor":{"type":"user_actor","email_address":"ada@contoso.com"},"date":"{{UsageDay}}T00:00:00Z","terminal_type":"vscode"},
               {"actor":{"type":"user_actor","email_address":"leaver@contoso.com"},"date":"{{UsageDay}}T00:00:00Z","terminal_type":"vscode"},
               {"actor":{"type":"api_actor","api_key_name":"leaver key"},"date":"{{UsageDay}}T00:00:00Z","terminal_type":"tmux"}]}
            """;
    }
}
