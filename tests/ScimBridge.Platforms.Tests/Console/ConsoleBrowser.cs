using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, or SCIMBRIDGE_CHROMIUM), headless, driven by Playwright. Playwright's own
/// browser download is never used: the machines have no internet. A missing browser fails the test; it is not a skip
/// (./test.sh installs chromium from Debian when it is absent, via tests/browser/chromium.sh).
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    // As root the sandbox must be off; without the networking flags chromium keeps calling Google's hosts, which
    // this closed network refuses (../shared/docs/testing-recipes.md, "A real browser from C#").
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Where screenshots go: the test results folder ./test.sh collects (SCIMBRIDGE_TEST_RESULTS).</summary>
    public static string ScreenshotFolder { get; } = FindScreenshotFolder();

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SCIMBRIDGE_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            Assert.Fail($"No browser at {executable}: install Debian's chromium (tests/browser/chromium.sh, run by ./test.sh).");
        }

        // The suite runs test classes side by side on two shared cores: give the pages time, not the 5 s default.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Flags });
            return new ConsoleBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser profile (its own cookies) on one page, recording what the page logs as errors.</summary>
    public async Task<ConsolePage> NewPageAsync(Uri root)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var consolePage = new ConsolePage(context, page);
        page.Console += (_, message) =>
        {
            // A 401 or 404 the console expects (signed out, an API not built yet) is logged by the browser as a failed load.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                consolePage.Errors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => consolePage.Errors.Enqueue(error);
        return consolePage;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    private static string FindScreenshotFolder()
    {
        var results = Environment.GetEnvironmentVariable("SCIMBRIDGE_TEST_RESULTS");
        if (string.IsNullOrEmpty(results) && Environment.GetEnvironmentVariable("SCIMBRIDGE_ARTIFACTS_PATH") is { Length: > 0 } artifacts)
        {
            results = Path.Combine(artifacts, "test-results");
        }

        if (string.IsNullOrEmpty(results))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScimBridge.sln")))
            {
                dir = dir.Parent;
            }

            results = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "test-results");
        }

        var folder = Path.Combine(results, "console-screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}

public sealed class ConsolePage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>Script errors and console errors (a CSP violation lands here), less expected failed loads.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Signs in through the form; unless a refusal is expected, waits until the console shows who is signed in.</summary>
    public async Task SignInAsync(string name, string password, bool expectRefusal = false)
    {
        await Page.GotoAsync("/console/");
        await Page.FillAsync("#name", name);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("#sign-in");
        if (!expectRefusal)
        {
            await Assertions.Expect(Page.Locator("#who")).ToContainTextAsync(name);
            await Assertions.Expect(Page.Locator("h1")).ToBeVisibleAsync();
        }
    }

    public Task GoAsync(string hash) => Page.GotoAsync("/console/" + hash);

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
