using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Simulators;
using ScimBridge.Simulators.Cursor;

namespace ScimBridge.Platforms.Tests.Cursor;

/// <summary>The simulator speaks Cursor's wire format: raw HTTP, no adapter in between.</summary>
public sealed class CursorSimulatorTests : IAsyncLifetime
{
    private readonly CursorHarness _harness = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _harness.StartAsync();
        _http = new HttpClient { BaseAddress = _harness.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_harness.AdminKey + ":")));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Basic_auth_takes_the_key_as_username_and_answers_401_in_cursors_envelope_otherwise()
    {
        using var anonymous = new HttpClient { BaseAddress = _harness.BaseUrl };
        using var noAuth = await anonymous.GetAsync("teams/members");
        using var bearer = await Send(HttpMethod.Get, "teams/members", auth: new AuthenticationHeaderValue("Bearer", _harness.AdminKey));
        using var withPassword = await Send(HttpMethod.Get, "teams/members", auth: new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_harness.AdminKey + ":ignored"))));

        Assert.Equal(HttpStatusCode.Unauthorized, noAuth.StatusCode);
        Assert.NotNull((await noAuth.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withPassword.StatusCode);
    }

    [Fact]
    public async Task Members_come_as_teamMembers_with_the_documented_fields()
    {
        var body = await _http.GetFromJsonAsync<JsonObject>("teams/members");

        var first = body!["teamMembers"]![0]!.AsObject();
        Assert.Equal(["id", "name", "email", "role", "isRemoved"], first.Select(p => p.Key));
        Assert.Equal(5, body["teamMembers"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_429_carries_the_documented_body_and_Retry_After()
    {
        _harness.Control.ThrottleNext(1, 60);

        using var response = await _http.GetAsync("teams/members");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"error":"Too Many Requests","message":"Rate limit exceeded. Please try again later."}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{}", "Either userId or email must be provided")]
    [InlineData("""{"userId":"user_member001","email":"mia@example.com"}""", "Only one of userId or email should be provided, not both")]
    [InlineData("""{"userId":"user_nobody"}""", "User is not a member of this team")]
    [InlineData("""{"email":"rita@example.com"}""", "User is not a member of this team")]
    public async Task Remove_member_answers_the_documented_errors(string body, string error)
    {
        using var response = await _http.PostAsync("teams/remove-member", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    [Fact]
    public async Task Remove_member_answers_success_with_the_id_and_whether_the_cycle_had_usage()
    {
        _harness.Sim.AddUsage("user_member001", DateOnly.FromDateTime(DateTime.UtcNow));

        using var withUsage = await _http.PostAsJsonAsync("teams/remove-member", new { email = "MIA@example.com" });
        using var without = await _http.PostAsJsonAsync("teams/remove-member", new { userId = "user_member002" });

        Assert.Equal("""{"success":true,"userId":"user_member001","hasBillingCycleUsage":true}""", await withUsage.Content.ReadAsStringAsync());
        Assert.Equal("""{"success":true,"userId":"user_member002","hasBillingCycleUsage":false}""", await without.Content.ReadAsStringAsync());
        Assert.True((bool)(await _http.GetFromJsonAsync<JsonObject>("teams/members"))!["teamMembers"]![2]!["isRemoved"]!);
    }

    [Theory]
    [InlineData("startTime=2024-01-01&endTime=2024-02-01")]
    [InlineData("startTime=31d&endTime=now")]
    [InlineData("startTime=1704067200&endTime=1706745600000")]
    public async Task Ranges_over_30_days_are_refused_as_the_docs_say(string query)
    {
        using var response = await _http.GetAsync("teams/audit-logs?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Date range cannot exceed 30 days", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    [Fact]
    public async Task Audit_logs_take_every_documented_date_format_and_page_newest_first()
    {
        var at = new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero);
        _harness.Sim.AddAuditEvents(Enumerable.Range(0, 5).Select(i => new CursorSimAuditEvent($"evt_{i}", at.AddHours(i), "203.0.113.1", "mia@example.com", i % 2 == 0 ? "login" : "settings_changed")));

        var iso = await _http.GetFromJsonAsync<JsonObject>("teams/audit-logs?startTime=2024-01-15T00:00:00Z&endTime=2024-01-16&page=2&pageSize=2");
        var seconds = await _http.GetFromJsonAsync<JsonObject>($"teams/audit-logs?startTime={at.ToUnixTimeSeconds()}&endTime={at.AddDays(1).ToUnixTimeMilliseconds()}&eventTypes=login");
        var recent = await _http.GetFromJsonAsync<JsonObject>("teams/audit-logs?startTime=7d&endTime=now");

        Assert.Equal(["evt_2", "evt_1"], iso!["events"]!.AsArray().Select(e => (string)e!["event_id"]!));
        Assert.Equal("""{"page":2,"pageSize":2,"totalCount":5,"totalPages":3,"hasNextPage":true,"hasPreviousPage":true}""", iso["pagination"]!.ToJsonString());
        Assert.Equal(at.ToUnixTimeMilliseconds(), (long)iso["params"]!["startDate"]!);
        Assert.Equal("2024-01-15T02:00:00.000Z", (string?)iso["events"]![0]!["timestamp"]);
        Assert.Equal(["evt_4", "evt_2", "evt_0"], seconds!["events"]!.AsArray().Select(e => (string)e!["event_id"]!));
        Assert.Equal(0, (int)recent!["pagination"]!["totalCount"]!);
    }

    [Fact]
    public async Task Audit_logs_filter_by_users_by_email_or_id_and_by_search()
    {
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        _harness.Sim.AddAuditEvents(
        [
            new CursorSimAuditEvent("evt_mia", at, null, "mia@example.com", "login"),
            new CursorSimAuditEvent("evt_max", at, null, "max@example.com", "login"),
            new CursorSimAuditEvent("evt_key", at, null, "olivia@example.com", "api_key_created", System.Text.Json.JsonSerializer.SerializeToElement(new { key_name = "ci-runner" })),
        ]);

        var byUsers = await _http.GetFromJsonAsync<JsonObject>("teams/audit-logs?users=mia@example.com,user_member002");
        var bySearch = await _http.GetFromJsonAsync<JsonObject>("teams/audit-logs?search=ci-runner");

        Assert.Equal(["evt_mia", "evt_max"], byUsers!["events"]!.AsArray().Select(e => (string)e!["event_id"]!).Order().Reverse());
        Assert.Equal("evt_key", (string?)Assert.Single(bySearch!["events"]!.AsArray())!["event_id"]);
    }

    [Fact]
    public async Task Two_hundred_thousand_events_are_served_a_page_at_a_time()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-20);
        _harness.Sim.AddAuditEvents(Enumerable.Range(0, 200_000).Select(i => new CursorSimAuditEvent($"evt_{i:D6}", start.AddSeconds(i * 5), null, "mia@example.com", "login")));

        var page = await _http.GetFromJsonAsync<JsonObject>("teams/audit-logs?startTime=21d&endTime=now&page=1500&pageSize=100");

        var ids = page!["events"]!.AsArray().Select(e => (string)e!["event_id"]!).ToList();
        Assert.Equal(200_000, (int)page["pagination"]!["totalCount"]!);
        Assert.Equal(100, ids.Count);
        Assert.Equal($"evt_{200_000 - 1 - (1499 * 100):D6}", ids[0]);
    }

    [Fact]
    public async Task Daily_usage_without_paging_lists_active_days_and_with_paging_every_member_day()
    {
        var day = new DateOnly(2024, 3, 18);
        _harness.Sim.AddUsage("user_member001", day, new JsonObject { ["chatRequests"] = 128, ["mostUsedModel"] = "gpt-5" });
        var start = new DateTimeOffset(2024, 3, 18, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        using var activeOnly = await _http.PostAsJsonAsync("teams/daily-usage-data", new { startDate = start, endDate = end });
        using var paged = await _http.PostAsJsonAsync("teams/daily-usage-data", new { startDate = start, endDate = end, page = 2, pageSize = 2 });

        var active = await activeOnly.Content.ReadFromJsonAsync<JsonObject>();
        var record = Assert.Single(active!["data"]!.AsArray())!.AsObject();
        Assert.Equal(("user_member001", "2024-03-18", start, true, 128, "mia@example.com"), ((string)record["userId"]!, (string)record["day"]!, (long)record["date"]!, (bool)record["isActive"]!, (int)record["chatRequests"]!, (string)record["email"]!));
        Assert.Null(active["pagination"]);
        Assert.Equal($$"""{"startDate":{{start}},"endDate":{{end}}}""", active["period"]!.ToJsonString());

        var all = await paged.Content.ReadFromJsonAsync<JsonObject>();
        var rows = all!["data"]!.AsArray().Select(r => ((string)r!["userId"]!, (string)r["day"]!, (bool)r["isActive"]!)).ToList();
        Assert.Equal(
            [
                ("user_member001", "2024-03-18", true), ("user_member001", "2024-03-19", false), ("user_member001", "2024-03-20", false),
                ("user_member002", "2024-03-18", false), ("user_member002", "2024-03-19", false), ("user_member002", "2024-03-20", false),
            ],
            rows);
        Assert.Equal("""{"page":2,"pageSize":2,"totalUsers":5,"totalPages":3,"hasNextPage":true,"hasPreviousPage":true}""", all["pagination"]!.ToJsonString());
        Assert.Equal(0, (int)all["data"]![4]!["totalLinesAdded"]!);
    }

    [Theory]
    [InlineData("""{"endDate":1710892800000}""", "startDate and endDate are required")]
    [InlineData("""{"startDate":1710720000000,"endDate":1713398400001}""", "Date range cannot exceed 30 days")]
    public async Task Daily_usage_refuses_what_the_docs_refuse(string body, string error)
    {
        using var response = await _http.PostAsync("teams/daily-usage-data", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    [Fact]
    public async Task The_sample_seed_file_loads_and_the_state_route_shows_it()
    {
        var simulator = SimulatedPlatforms.Create("cursor", TimeProvider.System);
        Assert.IsType<CursorSimulator>(simulator);
        var seed = Path.Combine(RepositoryRoot(), "src", "ScimBridge.Simulators", "Cursor", "cursor-seed.json");
        using (var file = File.OpenRead(seed))
        {
            _harness.Sim.Seed(file);
        }

        var state = await _http.GetFromJsonAsync<JsonObject>(new Uri(_harness.Running.Root, "_sim/state"));
        var usage = await _http.PostAsJsonAsync("teams/daily-usage-data", new { startDate = 1705276800000, endDate = 1705363199999 });

        Assert.Equal(4, state!["teamMembers"]!.AsArray().Count);
        Assert.Equal(2, state["auditEvents"]!.AsArray().Count);
        Assert.Equal(2, state["dailyUsage"]!.AsArray().Count);
        var rows = (await usage.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray();
        Assert.Equal(["user_PDSPmvukpYgZEDXsoNirw3CFhy", "user_kljUvI0ASZORvSEXf9hV0ydcso"], rows.Select(r => (string)r!["userId"]!)); // the second found by email
    }

    [Fact]
    public async Task The_SCIM_endpoint_creates_members_and_answers_in_SCIMs_envelope()
    {
        using var scim = new HttpClient { BaseAddress = new Uri(_harness.Running.Root, "scim/v2/") };
        scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _harness.Sim.ScimToken);
        var user = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com","name":{"givenName":"Ada","familyName":"L"},"emails":[{"value":"ada@example.com","primary":true}],"active":true}""";

        using var created = await scim.PostAsync("Users", new StringContent(user, Encoding.UTF8, "application/scim+json"));
        using var duplicate = await scim.PostAsync("Users", new StringContent(user, Encoding.UTF8, "application/scim+json"));
        using var badFilter = await scim.GetAsync("Users?filter=" + Uri.EscapeDataString("emails co \"ada\""));
        using var adminKey = await Send(HttpMethod.Get, new Uri(_harness.Running.Root, "scim/v2/Users").AbsoluteUri);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/scim+json", created.Content.Headers.ContentType?.MediaType);
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal("/scim/v2/Users/" + id, created.Headers.Location?.AbsolutePath);
        Assert.Equal(("Ada L", "member", false), (_harness.Sim.Member(id)!.Name, _harness.Sim.Member(id)!.Role, _harness.Sim.Member(id)!.IsRemoved));
        await AssertScimError(duplicate, 409, "uniqueness");
        await AssertScimError(badFilter, 400, "invalidFilter");
        await AssertScimError(adminKey, 401, null);

        using var deleted = await scim.DeleteAsync("Users/" + id);
        using var again = await scim.DeleteAsync("Users/" + id);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertScimError(again, 404, null);
        Assert.True(_harness.Sim.Member(id)!.IsRemoved);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth ?? _http.DefaultRequestHeaders.Authorization;
        return await _http.SendAsync(request);
    }

    private static async Task AssertScimError(HttpResponseMessage response, int status, string? scimType)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)body!["schemas"]![0]);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)body["status"]);
        Assert.Equal(scimType, (string?)body["scimType"]);
    }

    // From this source file, since the test output may live outside the repository (--artifacts-path).
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScimBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ScimBridge.sln) is not above this source file.");
    }
}
