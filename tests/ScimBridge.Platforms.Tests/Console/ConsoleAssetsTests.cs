using System.Net;
using ScimBridge.Api.WebConsole;
using ScimBridge.Platforms.Tests.Scim;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>The console's files: served from the assembly under a strict CSP, revalidated by ETag, nothing else exposed.</summary>
public sealed class ConsoleAssetsTests : IAsyncLifetime
{
    private ScimBridgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ScimBridgeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_page_and_its_modules_come_with_a_strict_csp_and_an_etag_that_revalidates()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Root };
        using var bare = await client.GetAsync("console");
        Assert.Equal(HttpStatusCode.PermanentRedirect, bare.StatusCode);
        Assert.Equal("/console/", bare.Headers.Location!.OriginalString);

        using var index = await client.GetAsync("console/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", ConsoleEndpoints.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", ConsoleEndpoints.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", index.Headers.GetValues("X-Frame-Options").Single());
        var html = await index.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"js/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal); // nothing from another origin
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        using var script = await client.GetAsync("console/js/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        var etag = script.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "console/js/app.js") { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("console/js/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("console/../appsettings.json")).StatusCode);
    }

    [Fact]
    public void Every_embedded_script_is_an_es_module_without_inline_html_injection()
    {
        var assets = new ConsoleAssets();
        var scripts = assets.Paths.Where(p => p.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.Contains("js/app.js", scripts);
        Assert.Contains("js/pages/inventory.js", scripts);
        foreach (var path in scripts)
        {
            var text = System.Text.Encoding.UTF8.GetString(assets.Find(path)!.Content);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
            Assert.DoesNotContain("eval(", text, StringComparison.Ordinal);
        }
    }
}
