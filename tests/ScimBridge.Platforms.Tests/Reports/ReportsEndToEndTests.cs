using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Platforms.Tests.Reports;

/// <summary>
/// The operator reports over HTTP against a real scimbridge and the simulators (<see cref="ReportsFixture"/>): what
/// each report says about the seeded orphaned, stale, unrotated and shadow items, the revoke landing on the platform,
/// activity ingested once however often it is read, and access review rows with their rule and group.
/// </summary>
public sealed class ReportsEndToEndTests(ReportsFixture fixture) : IClassFixture<ReportsFixture>
{
    private static Dictionary<string, JsonObject> ById(JsonObject report, string array = "items") =>
        report[array]!.AsArray().Select(n => n!.AsObject()).GroupBy(n => $"{n["target"]}/{n["id"]}").ToDictionary(g => g.Key, g => g.First());

    private static string Flags(JsonObject item) => string.Join(',', item["flags"]!.AsArray().Select(f => (string)f!));

    [Fact]
    public async Task Inventory_SeededKeys_CarryOwnerAgeAndTheirFlags()
    {
        var report = await fixture.GetAsync("admin/reports/inventory");
        var items = ById(report);

        Assert.Equal(45, (int)report["thresholds"]!["staleDays"]!);
        Assert.Equal(90, (int)report["thresholds"]!["unrotatedDays"]!);
        Assert.Equal("", Flags(items["openai/key_ok"]));
        Assert.Equal("orphaned", Flags(items["openai/key_leaver"]));
        Assert.Equal("orphaned", Flags(items["openai/key_gone"]));
        Assert.Equal("stale", Flags(items["openai/key_stale"]));
        Assert.Equal("unrotated", Flags(items["openai/key_old"]));
        Assert.Equal("shadow", Flags(items["openai/key_shadow"]));
        Assert.Equal("unrotated,shadow", Flags(items["openai/key_ci"]));
        Assert.Equal("shadow", Flags(items["openai/svc_ci"]));
        Assert.Equal("shadow", Flags(items["openai/user-contractor"]));
        Assert.Equal("user", (string)items["openai/user-contractor"]["kind"]!);
        Assert.Equal("unrotated", Flags(items["anthropic/apikey_ada"]));

        var ok = items["openai/key_ok"];
        Assert.Equal("apiKey", (string)ok["kind"]!);
        Assert.Equal("proj_research", (string)ok["container"]!);
        Assert.Equal("active", (string)ok["status"]!);
        Assert.Equal(10, (int)ok["ageDays"]!);
        Assert.Equal("ada@contoso.com", (string)ok["owner"]!["email"]!);
        Assert.Equal("e2e", (string)ok["owner"]!["identity"]!["connection"]!);
        Assert.True((bool)ok["owner"]!["identity"]!["active"]!);
        Assert.EndsWith("Z", (string)ok["created"]!, StringComparison.Ordinal);
        Assert.Equal("serviceAccount", (string)items["openai/svc_ci"]["kind"]!);
        Assert.False((bool)items["openai/key_leaver"]["owner"]!["identity"]!["active"]!);

        var counts = report["counts"]!;
        var all = report["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(all.Count, (int)counts["total"]!);
        foreach (var flag in new[] { "orphaned", "stale", "unrotated", "shadow" })
        {
            Assert.Equal(all.Count(i => Flags(i).Split(',').Contains(flag)), (int)counts[flag]!);
        }
    }

    [Fact]
    public async Task Inventory_FlagAndTargetFilters_ShowOnlyThoseItems()
    {
        var orphaned = await fixture.GetAsync("admin/reports/inventory?flag=orphaned&target=openai");

        var items = orphaned["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains("orphaned", Flags(i), StringComparison.Ordinal));
        Assert.All(items, i => Assert.Equal("openai", (string)i["target"]!));
        Assert.Contains(items, i => (string)i["id"]! == "key_gone");

        using var bad = await fixture.Admin.GetAsync("admin/reports/inventory?flag=sloppy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await fixture.Admin.GetAsync("admin/reports/inventory?target=gemini");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Inventory_Csv_HasAHeaderARowPerItemAndNeutralisesFormulas()
    {
        using var response = await fixture.Admin.GetAsync("admin/reports/inventory?format=csv&target=openai");
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("target,platform,kind,id,name,container,status,ownerPlatformId,ownerEmail,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("openai,openai,apiKey,key_leaver,leaver laptop,proj_research,active,user-leaver,leaver@contoso.com,e2e,leaver@contoso.com,false,", StringComparison.Ordinal)
            && l.EndsWith(",orphaned", StringComparison.Ordinal));

        // The key named like a formula starts with an apostrophe inside its quoted cell, so no spreadsheet runs it.
        var shadow = Assert.Single(lines, l => l.Contains(",key_shadow,", StringComparison.Ordinal));
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",", shadow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_OpenAIKey_IsDeletedOnThePlatformThenUnknown()
    {
        Assert.True(fixture.Bridge.OpenAI.Platform.ApiKeyExists("proj_research", "key_revoke"));

        using var response = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "openai", kind = "apiKey", id = "key_revoke", container = "proj_research" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("openai", "key_revoke", "deleted"), ((string)body["target"]!, (string)body["id"]!, (string)body["action"]!));
        Assert.False(fixture.Bridge.OpenAI.Platform.ApiKeyExists("proj_research", "key_revoke"));

        using var again = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "openai", kind = "apiKey", id = "key_revoke", container = "proj_research" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        // Both attempts are in the audit chain, acted by the operator: the revoke done, the second refused.
        var events = (await fixture.GetAsync("admin/audit/?kind=platform.change&target=openai&limit=100"))["events"]!.AsArray()
            .Select(e => e!.AsObject()).Where(e => (string?)e["resourceId"] == "key_revoke").ToList();
        Assert.Contains(events, e => (string)e["action"]! == "revoke" && (string)e["outcome"]! == "success" && (string?)e["actor"] is { Length: > 0 } actor && actor != "scimbridge");
        Assert.Contains(events, e => (string)e["action"]! == "revoke" && (string)e["outcome"]! == "failure");
    }

    [Fact]
    public async Task Revoke_WhatThePlatformCannotRevoke_Is409AndBadInput400()
    {
        // OpenAI refuses to delete a service account's key on its own: the service account has to go.
        using var serviceAccountKey = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "openai", kind = "apiKey", id = "key_ci", container = "proj_research" });
        Assert.Equal(HttpStatusCode.Conflict, serviceAccountKey.StatusCode);
        Assert.Contains("svc_ci", await serviceAccountKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(fixture.Bridge.OpenAI.Platform.ApiKeyExists("proj_research", "key_ci"));

        // Cursor's Admin API has no keys to revoke.
        using var cursor = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "cursor", kind = "apiKey", id = "k" });
        Assert.Equal(HttpStatusCode.Conflict, cursor.StatusCode);

        using var badKind = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "openai", kind = "user", id = "user-ada" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
    }

    [Fact]
    public async Task Revoke_AnthropicKey_IsDisabledAndLeavesTheInventoryFlagFree()
    {
        using var response = await fixture.Admin.PostAsJsonAsync("admin/reports/inventory/revoke", new { target = "anthropic", kind = "apiKey", id = "apikey_leaver" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("disabled", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["action"]!);
        Assert.Equal("inactive", fixture.Bridge.Anthropic.Platform.FindApiKey("apikey_leaver")!.Status);

        var item = ById(await fixture.GetAsync("admin/reports/inventory?target=anthropic"))["anthropic/apikey_leaver"];
        Assert.Equal("inactive", (string)item["status"]!);
        Assert.Equal("", Flags(item));
    }

    [Fact]
    public async Task Activity_IngestedTwice_IsStoredOnceAttributedAndFlagged()
    {
        using (var first = await fixture.Admin.PostAsync("admin/reports/activity/ingest", null))
        {
            first.EnsureSuccessStatusCode();
        }

        using (var second = await fixture.Admin.PostAsync("admin/reports/activity/ingest?target=openai", null))
        {
            second.EnsureSuccessStatusCode();
        }

        var all = (await fixture.GetAsync("admin/reports/activity?limit=1000"))["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var claudeAda = $"claude_code:{ReportsFixture.UsageDay}:user:ada@contoso.com:vscode";
        var claudeLeaver = $"claude_code:{ReportsFixture.UsageDay}:user:leaver@contoso.com:vscode";
        var claudeLeaverKey = $"claude_code:{ReportsFixture.UsageDay}:api_key:leaver key:tmux";
        foreach (var id in new[] { "audit_ada", "audit_leaver", "audit_unknown_key", "audit_ci", "evt_cursor_leaver", claudeAda, claudeLeaver, claudeLeaverKey })
        {
            Assert.Single(all, a => (string)a["id"]! == id);
        }

        var events = all.ToDictionary(a => $"{a["target"]}/{a["id"]}");
        var ada = events["openai/audit_ada"];
        Assert.Equal(("login.succeeded", "203.0.113.7", "Mozilla/5.0 (X11)"), ((string)ada["action"]!, (string)ada["ipAddress"]!, (string)ada["userAgent"]!));
        Assert.Equal("ada@contoso.com", (string)ada["identity"]!["userName"]!);
        Assert.Equal("", Flags(ada));
        Assert.Equal("deprovisioned", Flags(events["openai/audit_leaver"]));
        Assert.Equal("unknownKey", Flags(events["openai/audit_unknown_key"]));
        Assert.Equal("key_nobody_knows", (string)events["openai/audit_unknown_key"]["actor"]!["apiKeyId"]!);
        Assert.Equal("", Flags(events["openai/audit_ci"]));
        Assert.Equal("deprovisioned", Flags(events["cursor/evt_cursor_leaver"]));
        Assert.Equal("198.51.100.9", (string)events["cursor/evt_cursor_leaver"]["ipAddress"]!);

        // Anthropic: Claude Code usage per person and day, attributed by email, or through the key's creator.
        var usage = events[$"anthropic/{claudeAda}"];
        Assert.Equal(("claude_code.usage", "vscode"), ((string)usage["action"]!, (string)usage["userAgent"]!));
        Assert.Equal("ada@contoso.com", (string)usage["identity"]!["userName"]!);
        Assert.Equal("", Flags(usage));
        Assert.Equal("deprovisioned", Flags(events[$"anthropic/{claudeLeaver}"]));
        var keyUsage = events[$"anthropic/{claudeLeaverKey}"];
        Assert.Equal("apikey_leaver", (string)keyUsage["actor"]!["apiKeyId"]!);
        Assert.Equal("leaver@contoso.com", (string)keyUsage["identity"]!["userName"]!);
        Assert.Equal("deprovisioned", Flags(keyUsage));

        var deprovisioned = (await fixture.GetAsync("admin/reports/activity?flag=deprovisioned"))["items"]!.AsArray().Select(n => (string)n!["id"]!).ToList();
        Assert.Contains("audit_leaver", deprovisioned);
        Assert.Contains("evt_cursor_leaver", deprovisioned);
        Assert.Contains(claudeLeaver, deprovisioned);
        Assert.DoesNotContain("audit_ada", deprovisioned);
    }

    [Fact]
    public async Task Activity_Pages_FollowTheCursorWithoutRepeats()
    {
        using (var ingest = await fixture.Admin.PostAsync("admin/reports/activity/ingest", null))
        {
            ingest.EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await fixture.GetAsync("admin/reports/activity?target=openai&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page["items"]!.AsArray().Select(n => (string)n!["id"]!));
            cursor = (string?)page["next"];
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("audit_ada", seen);
        Assert.Contains("audit_ci", seen);

        using var bad = await fixture.Admin.GetAsync("admin/reports/activity?cursor=not-a-cursor!");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task AccessReview_Rows_NameTheRuleAndGroupAndWhatThePlatformHas()
    {
        var review = await fixture.GetAsync("admin/reports/access-review?target=openai");
        var rows = review["rows"]!.AsArray().Select(n => n!.AsObject()).ToList();

        var research = Assert.Single(rows, r => (string?)r["identity"] == "ada@contoso.com" && (string)r["object"]! == "project:research" && (string)r["actual"]! != "extra");
        Assert.Equal("member", (string)research["role"]!);
        Assert.Equal(["openai-research"], research["rules"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["AI-OpenAI-Research"], research["groups"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("granted", (string)research["actual"]!);

        // The contractor no IdP identity has: extra, with no identity.
        var contractor = Assert.Single(rows, r => (string?)r["email"] == "contractor@gmail.com" && (string)r["object"]! == "org");
        Assert.Equal("extra", (string)contractor["actual"]!);
        Assert.Null(contractor["identity"]);

        using var csv = await fixture.Admin.GetAsync("admin/reports/access-review?target=openai&format=csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("target,platform,object,identity,email,role,rules,groups,actual,actualRole", lines[0]);
        Assert.Contains("openai,openai,project:research,ada@contoso.com,ada@contoso.com,member,openai-research,AI-OpenAI-Research,granted,member", lines);
    }

    [Fact]
    public async Task Connectors_ShowOwnerReachAndCoverage()
    {
        var targets = (await fixture.GetAsync("admin/reports/connectors"))["targets"]!.AsArray().Select(n => n!.AsObject()).ToDictionary(t => (string)t["target"]!);

        var openai = targets["openai"];
        Assert.Equal("AI Platform Team", (string)openai["owner"]!);
        Assert.Equal("enforce", (string)openai["mode"]!);
        Assert.Equal(fixture.Bridge.OpenAI.BaseUrl.AbsoluteUri, (string)openai["baseUrl"]!);
        Assert.Contains("project:research", openai["reach"]!.AsArray().Select(r => (string)r!));
        var coverage = openai["coverage"]!.AsArray().ToDictionary(c => (string)c!["objectType"]!, c => (string)c!["governance"]!);
        Assert.Equal("enforced", coverage["project membership"]);
        Assert.Equal("observed", coverage["service account"]);
        Assert.Null(targets["anthropic"]["owner"]);
        Assert.Equal("observed", targets["anthropic"]["coverage"]!.AsArray().Single(c => (string)c!["objectType"]! == "activity")!["governance"]!.ToString());
        Assert.Contains("team", targets["cursor"]["reach"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task Reports_WithoutTheOperatorToken_Are401()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Bridge.Root };

        using var response = await anonymous.GetAsync("admin/reports/inventory");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
