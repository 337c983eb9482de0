using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>GET /admin/audit filters and keyset paging, bad filters, and both export formats.</summary>
public sealed class AuditQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private ScimServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await AuditHarness.StartAsync();

        // 30 events an hour apart: every third a platform change on "openai", the rest operator actions by alice.
        var events = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? AuditHarness.Event(i, AuditKinds.PlatformChange, Start.AddHours(i), target: "openai")
            : AuditHarness.Event(i, AuditKinds.OperatorAction, Start.AddHours(i)));
        await AuditHarness.Log(_server).AppendAsync([.. events], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Filters_CombineAndPageNewestFirst()
    {
        using var admin = AuditHarness.Admin(_server);
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await AuditHarness.GetJsonAsync(admin, $"admin/audit?target=openai&from=2026-11-01T09:00:00Z&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            var events = page["events"]!.AsArray();
            Assert.InRange(events.Count, 1, 3);
            Assert.All(events, e => Assert.Equal("openai", (string?)e!["target"]));
            seen.AddRange(events.Select(e => (long)e!["seq"]!));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        // Events 3, 6, …, 27 (seq 4, 7, …, 28): event 0 is before "from". Newest first, none twice.
        Assert.Equal(Enumerable.Range(1, 9).Select(k => (long)(3 * k) + 1).Reverse(), seen);

        var window = await AuditHarness.GetJsonAsync(admin, "admin/audit?kind=operator.action&actor=alice&outcome=failure&from=2026-11-01T10:00:00Z&to=2026-11-02T00:00:00Z");
        Assert.Equal(["id-10", "id-5"], window["events"]!.AsArray().Select(e => (string?)e!["resourceId"]));
        Assert.Null(window["nextCursor"]);

        var one = await AuditHarness.GetJsonAsync(admin, "admin/audit?resource=thing/id-7");
        Assert.Equal(8, (long)one["events"]![0]!["seq"]!);
        Assert.Equal(7, (int)one["events"]![0]!["details"]!["i"]!);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("kind=nope", "kind")]
    [InlineData("cursor=-4", "cursor")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from must not be after to")]
    public async Task BadFilters_AreProblemDetails400(string query, string mentioned)
    {
        using var admin = AuditHarness.Admin(_server);
        var response = await admin.GetAsync($"admin/audit?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsJsonLinesOrSafeCsv_OldestFirst()
    {
        // An IdP controls resource ids and paths: a formula there must not run in an operator's spreadsheet.
        await AuditHarness.Log(_server).AppendAsync(
            [AuditHarness.Event(100, AuditKinds.ScimRequest, resourceId: "=HYPERLINK(\"http://evil\",\"x\")"), AuditHarness.Event(101, AuditKinds.ScimRequest, resourceId: "@SUM(A1)")],
            CancellationToken.None);
        using var admin = AuditHarness.Admin(_server);

        var jsonl = await admin.GetAsync("admin/audit/export?format=jsonl");
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        var lines = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(32, lines.Length);
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (long)i), lines.Select(l => (long)JsonNode.Parse(l)!["seq"]!));

        var csv = await admin.GetAsync("admin/audit/export?format=csv&kind=scim.request");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\n", StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToList();
        Assert.Equal("seq,occurred,kind,actor,connection,target,resourceType,resourceId,action,outcome,requestId,details,previousHash,hash", rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",", rows[1], StringComparison.Ordinal);
        Assert.Contains(",'@SUM(A1),", rows[2], StringComparison.Ordinal);
        Assert.DoesNotContain(",=", rows[1], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("admin/audit/export?format=xml")).StatusCode);
    }

    [Fact]
    public async Task AuditApi_NeedsTheOperator()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/audit/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/audit/verify")).StatusCode);
    }
}
