using System.Globalization;
using System.Net;
using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Anthropic;
using ScimBridge.Simulators.Anthropic;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>
/// Claude Code usage as activity: the adapter walks the window's UTC days against the simulator's usage report, pages
/// within a day by <c>next_page</c>, and maps user and API-key actors; the simulator answers the report's wire format.
/// </summary>
public sealed class AnthropicActivityTests : IAsyncLifetime
{
    private const string Report = "/v1/organizations/usage_report/claude_code";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private readonly AnthropicHarness _harness = new();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    [Fact]
    public async Task ListActivity_pages_within_a_day_and_reads_only_the_days_of_the_window()
    {
        var busy = Today.AddDays(-3);
        var quiet = Today.AddDays(-2);
        _harness.Sim.AddClaudeCodeUsage(Enumerable.Range(0, 30).Select(i => new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User($"dev{i}@example.test"), busy)));
        _harness.Sim.AddClaudeCodeUsage(
        [
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User("quiet@example.test"), quiet),
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User("before@example.test"), Today.AddDays(-4)),
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User("after@example.test"), Today.AddDays(-1)),
        ]);
        var reader = (IActivityReader)_harness.CreateAdapter();
        _harness.Control.ClearRequests();

        // The window starts and ends mid-day: the days it touches are read whole, the days around them not at all.
        var activity = new List<PlatformActivity>();
        await foreach (var item in Pages.ReadAllAsync((t, ct) => reader.ListActivityAsync(new ActivityQuery(Noon(busy), Noon(quiet)), t, ct), Timeout))
        {
            activity.Add(item);
        }

        Assert.Equal(31, activity.Count);
        Assert.Equal(31, activity.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(activity, a => a.ActorEmail is "before@example.test" or "after@example.test");
        var paths = _harness.Control.Requests.Where(r => r.PathAndQuery.StartsWith(Report, StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
        Assert.Equal(3, paths.Count);
        Assert.Equal($"{Report}?starting_at={Iso(busy)}&limit=25", paths[0]);
        Assert.StartsWith($"{Report}?starting_at={Iso(busy)}&limit=25&page=page_", paths[1], StringComparison.Ordinal);
        Assert.Equal($"{Report}?starting_at={Iso(quiet)}&limit=25", paths[2]);
    }

    [Fact]
    public async Task ListActivity_maps_user_and_api_key_actors_to_one_activity_per_row()
    {
        var day = Today.AddDays(-1);
        _harness.Sim.AddClaudeCodeUsage(
        [
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User("user@emaildomain.com"), day, "iTerm.app"),
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.User("user@emaildomain.com"), day, "iTerm.app") { IsRemote = true },
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.ApiKey("Developer Key"), day, "vscode"),
            new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.ApiKey("Nobody's Key"), day, "tmux"),
        ]);
        var reader = (IActivityReader)_harness.CreateAdapter();

        var page = await reader.ListActivityAsync(new ActivityQuery(Noon(day), Noon(day)), null, Timeout);

        Assert.Null(page.NextPageToken);
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.All(page.Items, a => Assert.Equal((AnthropicAdapter.ClaudeCodeActivityType, midnight), (a.Type, a.OccurredAt)));
        var byId = page.Items.ToDictionary(a => a.Id);
        var local = byId[$"claude_code:{Iso(day)}:user:user@emaildomain.com:iTerm.app"];
        Assert.Equal(("user@emaildomain.com", null, "iTerm.app"), (local.ActorEmail, local.ActorCredentialId, local.UserAgent));
        Assert.Equal("user@emaildomain.com", byId[$"claude_code:{Iso(day)}:user:user@emaildomain.com:iTerm.app:remote"].ActorEmail);

        // An API actor is named by key name only: a name one key has resolves to that key, anything else stays the name.
        var known = byId[$"claude_code:{Iso(day)}:api_key:Developer Key:vscode"];
        Assert.Equal((null, AnthropicHarness.ActiveKeyId), (known.ActorEmail, known.ActorCredentialId));
        Assert.Equal("Nobody's Key", byId[$"claude_code:{Iso(day)}:api_key:Nobody's Key:tmux"].ActorCredentialId);
    }

    [Fact]
    public async Task ListActivity_rejects_a_foreign_token_and_reads_nothing_for_an_empty_window()
    {
        var reader = (IActivityReader)_harness.CreateAdapter();
        _harness.Control.ClearRequests();

        var empty = await reader.ListActivityAsync(new ActivityQuery(DateTimeOffset.UtcNow.AddDays(2)), null, Timeout);

        Assert.Empty(empty.Items);
        Assert.Null(empty.NextPageToken);
        Assert.Empty(_harness.Control.Requests);
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListActivityAsync(new ActivityQuery(DateTimeOffset.UtcNow.AddDays(-1)), "not-a-token", Timeout));
    }

    [Fact]
    public async Task Simulator_serves_the_report_wire_format_and_refuses_bad_queries()
    {
        var day = new DateOnly(2025, 8, 8);
        _harness.Sim.AddClaudeCodeUsage([new AnthropicSimClaudeCodeUsage(AnthropicSimUsageActor.ApiKey("ci"), day, "iTerm.app")]);
        using var http = new HttpClient { BaseAddress = _harness.Running.Root };
        http.DefaultRequestHeaders.Add("x-api-key", _harness.AdminKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        using (var ok = await http.GetAsync("v1/organizations/usage_report/claude_code?starting_at=2025-08-08"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
            var row = body.RootElement.GetProperty("data")[0];
            Assert.Equal("2025-08-08T00:00:00Z", row.GetProperty("date").GetString());
            Assert.Equal("api_actor", row.GetProperty("actor").GetProperty("type").GetString());
            Assert.Equal("ci", row.GetProperty("actor").GetProperty("api_key_name").GetString());
            Assert.False(row.GetProperty("actor").TryGetProperty("email_address", out _));
            Assert.Equal(AnthropicHarness.OrganizationId, row.GetProperty("organization_id").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("subscription_type").ValueKind);
            Assert.Equal(1, row.GetProperty("core_metrics").GetProperty("num_sessions").GetInt32());
            Assert.False(body.RootElement.GetProperty("has_more").GetBoolean());
            Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("next_page").ValueKind);
        }

        foreach (var (query, message) in new[]
        {
            ("", "starting_at: Field required"),
            ("?starting_at=2025-08-08T00:00:00Z", "starting_at: Input should be a valid date in the format YYYY-MM-DD"),
            ("?starting_at=2025-08-08&limit=1001", "limit: Input should be between 1 and 1000"),
            ("?starting_at=2025-08-08&page=page_bm90LWEtY3Vyc29y", "page: Invalid page cursor"),
        })
        {
            using var bad = await http.GetAsync("v1/organizations/usage_report/claude_code" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            using var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            Assert.Equal(("invalid_request_error", message), (error.RootElement.GetProperty("error").GetProperty("type").GetString(), error.RootElement.GetProperty("error").GetProperty("message").GetString()));
        }

        using var anonymous = new HttpClient { BaseAddress = _harness.Running.Root };
        anonymous.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        using var refused = await anonymous.GetAsync("v1/organizations/usage_report/claude_code?starting_at=2025-08-08");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
