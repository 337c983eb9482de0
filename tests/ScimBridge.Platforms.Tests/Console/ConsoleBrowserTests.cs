using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>
/// The console in a real headless chromium against a real scimbridge process and the simulators: sign-in, every page
/// with real data (a PNG of each in the test results), filters, roles, revoke and sign-out. Page script errors and
/// Content-Security-Policy violations fail the test.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Sign_in_refuses_a_wrong_password_lets_the_admin_in_and_sign_out_ends_the_session()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.AdminName, "not-alices-password", expectRefusal: true);
        await Expect(page.Locator("#sign-in-message")).ToContainTextAsync("Wrong name or password.");
        await Expect(page.Locator("#top")).ToBeHiddenAsync();
        await browser.ScreenshotAsync("01-sign-in-refused");

        await page.FillAsync("#password", ConsoleOperators.AdminPassword);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#who")).ToHaveTextAsync("alice (admin)");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "scimbridge_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // Script cannot read the HttpOnly cookie.
        Assert.DoesNotContain("scimbridge_session", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        await page.ClickAsync("#sign-out");
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Equal(401, await page.EvaluateAsync<int>("fetch('/admin/runs').then(r => r.status)"));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Every_page_loads_with_real_data()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.AdminName, ConsoleOperators.AdminPassword);

        await Expect(page.Locator("#stat-health .value")).ToHaveTextAsync("Healthy");
        await Expect(page.Locator("#stat-targets .value")).ToHaveTextAsync("3");
        await Expect(page.Locator("#stat-connections .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#runs-table tbody tr").First).ToBeVisibleAsync();
        Assert.Equal(3, await page.Locator("#charts svg.chart").CountAsync());
        Assert.True(await page.Locator("#charts rect.bar").CountAsync() > 0);
        await browser.ScreenshotAsync("02-overview");

        await browser.GoAsync("#/drift");
        await Expect(page.Locator(".drift-target").First).ToBeVisibleAsync();
        await Expect(page.Locator(".drift-target[data-target=openai]")).ToContainTextAsync("user-gen-0000001");
        await browser.ScreenshotAsync("04-drift");

        // The full pass behind a target's drift, as its run report.
        await page.Locator(".drift-target[data-target=openai] a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Run on openai");
        await Expect(page.Locator("#run-drift")).ToContainTextAsync("user-gen-0000001");
        await browser.ScreenshotAsync("03-run");

        await browser.GoAsync("#/inventory");
        await Expect(page.Locator("#inventory-results")).Not.ToBeEmptyAsync();
        await browser.ScreenshotAsync("05-inventory");

        await browser.GoAsync("#/audit");
        await Expect(page.Locator("#audit-filters")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("06-audit");

        await browser.GoAsync("#/connections");
        await Expect(page.Locator("#connections-table")).ToContainTextAsync("e2e");
        await Expect(page.Locator("#targets-table")).ToContainTextAsync("anthropic");
        await Expect(page.Locator("#targets-table")).ToContainTextAsync(fixture.Bridge.OpenAI.BaseUrl.AbsoluteUri);
        await Expect(page.Locator("#idp-checks-table")).ToContainTextAsync("No IdP checks have run.");
        await browser.ScreenshotAsync("07-connections");

        await browser.GoAsync("#/policy");
        await Expect(page.Locator("#policy-rules")).ToContainTextAsync("openai-research");
        await page.FillAsync("#preview-user", "ada@contoso.com");
        await page.ClickAsync("#preview-form button");
        await Expect(page.Locator("#preview-access")).ToContainTextAsync("openai-research");
        await browser.ScreenshotAsync("08-policy");

        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_filter_narrows_the_drift_table_to_one_target()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);
        await browser.GoAsync("#/drift");
        await Expect(page.Locator(".drift-target").First).ToBeVisibleAsync();
        var all = await page.Locator(".drift-target").CountAsync();
        Assert.True(all >= 3, $"{all} targets shown");

        await page.SelectOptionAsync("#filter-target", "cursor");
        await page.ClickAsync("#drift-filters button");
        await Expect(page.Locator(".drift-target")).ToHaveCountAsync(1);
        await Expect(page.Locator(".drift-target")).ToHaveAttributeAsync("data-target", "cursor");
        Assert.Contains("target=cursor", page.Url, StringComparison.Ordinal);
        await browser.ScreenshotAsync("09-drift-filtered");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task The_audit_page_filters_pages_exports_and_verifies()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);
        await browser.GoAsync("#/audit?limit=5");
        var rows = page.Locator("#audit-table tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        var newest = await rows.First.Locator("td").First.TextContentAsync();
        await page.ClickAsync("#audit-next");
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(rows.First.Locator("td").First).Not.ToHaveTextAsync(newest!);
        Assert.True(long.Parse((await rows.First.Locator("td").First.TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture) < long.Parse(newest!, System.Globalization.CultureInfo.InvariantCulture));

        await page.SelectOptionAsync("#filter-kind", "scim.request");
        await page.ClickAsync("#audit-filters button");
        await Expect(rows.First).ToContainTextAsync("scim.request");
        var kinds = await page.Locator("#audit-table tbody tr td:nth-child(3)").AllTextContentsAsync();
        Assert.All(kinds, k => Assert.Equal("scim.request", k));
        await browser.ScreenshotAsync("13-audit-filtered");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[download='audit.csv']"));
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.StartsWith("seq,", csv[0], StringComparison.Ordinal);
        Assert.True(csv.Length > 1);
        Assert.All(csv.Skip(1), line => Assert.Contains(",scim.request,", line, StringComparison.Ordinal));

        await page.ClickAsync("#audit-verify-button");
        await Expect(page.Locator("#audit-verify")).ToContainTextAsync("Chain intact");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_reader_sees_no_admin_buttons_and_a_forged_reader_post_gets_403()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);
        await Expect(page.Locator("#who")).ToHaveTextAsync("rob (reader)");

        await browser.GoAsync("#/inventory");
        await Expect(page.Locator("#inventory-results")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("button.revoke")).ToHaveCountAsync(0);
        await browser.GoAsync("#/policy");
        await Expect(page.Locator("#preview-admin-only")).ToBeVisibleAsync();
        await Expect(page.Locator("#preview-form")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("10-reader-policy");

        // The reader forges what the hidden button would send, CSRF token included: the server still says no.
        var status = await page.EvaluateAsync<int>("""
            async () => {
              const session = await (await fetch('/console/api/session')).json();
              const response = await fetch('/admin/reconcile', { method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-ScimBridge-Csrf': session.csrf }, body: JSON.stringify({ dryRun: false }) });
              return response.status;
            }
            """);
        Assert.Equal(403, status);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_page_whose_api_this_server_lacks_says_not_available_yet()
    {
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.ReaderName, ConsoleOperators.ReaderPassword);

        // As an older server without the report and audit endpoints would answer: a 404 from routing.
        await page.RouteAsync("**/admin/reports/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404, ContentType = "application/problem+json", Body = """{"status":404,"title":"Not Found"}""" }));
        await page.RouteAsync("**/admin/audit?**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
        await browser.GoAsync("#/inventory");
        await Expect(page.Locator("#inventory-results")).ToContainTextAsync("not available yet");
        await browser.GoAsync("#/audit");
        await Expect(page.Locator("main")).ToContainTextAsync("The audit trail (/admin/audit): not available yet");
        await browser.GoAsync("#/drift");
        await Expect(page.Locator("main")).ToContainTextAsync("not available yet");
        await Expect(page.Locator(".drift-target").First).ToBeVisibleAsync(); // from the newest run reports instead
        await browser.GoAsync("#/connections");
        await Expect(page.Locator("main")).ToContainTextAsync("The connector register (/admin/reports/connectors): not available yet");
        await Expect(page.Locator("#targets-table")).ToContainTextAsync("openai");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task An_admin_revokes_a_key_from_the_inventory()
    {
        using var admin = fixture.AdminClient();
        using var probe = await admin.GetAsync("admin/reports/inventory?target=openai");
        await using var browser = await fixture.Browser.NewPageAsync(fixture.Root);
        var page = browser.Page;
        await browser.SignInAsync(ConsoleOperators.AdminName, ConsoleOperators.AdminPassword);
        await browser.GoAsync("#/inventory?target=openai");
        probe.EnsureSuccessStatusCode();
        var keys = (await probe.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Where(i => (string)i!["kind"]! == "apiKey").ToList();
        var key = (string)keys.First()!["id"]!;
        Assert.Contains(key, await ProjectKeysAsync());
        var revoke = page.Locator($"button.revoke[data-id='{key}']");
        await revoke.ClickAsync();
        await Expect(revoke).ToHaveTextAsync("Confirm revoke");
        await browser.ScreenshotAsync("11-revoke-confirm");
        await revoke.ClickAsync();
        await Expect(page.Locator("#inventory-message")).ToContainTextAsync($"Revoked {key}");
        await browser.ScreenshotAsync("12-revoked");

        Assert.DoesNotContain(key, await ProjectKeysAsync());
        await Expect(page.Locator($"button.revoke[data-id='{key}']")).ToHaveCountAsync(0);

        // The audit trail names the signed-in operator as the actor of the revoke.
        var events = (await admin.GetFromJsonAsync<JsonObject>($"admin/audit?actor={ConsoleOperators.AdminName}"))!["events"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["resourceId"] == key);
        Assert.Empty(browser.Errors);
    }

    // The research project's keys as OpenAI's admin API lists them (GET /v1/organization/projects/{id}/api_keys).
    private async Task<List<string>> ProjectKeysAsync()
    {
        using var openai = new HttpClient { BaseAddress = new Uri(fixture.Bridge.OpenAI.BaseUrl.AbsoluteUri.TrimEnd('/') + "/") };
        openai.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-admin-e2e");
        var page = (await openai.GetFromJsonAsync<JsonObject>("organization/projects/proj_research/api_keys?limit=100"))!;
        return [.. page["data"]!.AsArray().Select(k => (string)k!["id"]!)];
    }
}
