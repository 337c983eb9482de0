using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Operations;

public sealed class OperationsTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.Equal("Healthy", (string?)ready["status"]);
        Assert.Equal("Healthy", (string?)ready["checks"]!["database"]);
    }

    [Fact]
    public async Task OpenApi_DescribesTheNonScimEndpointsOnly()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };
        var paths = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();
        Assert.Contains("/health/ready", paths.Select(p => p.Key));
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/scim", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownNonScimPath_IsProblemDetails()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };
        var response = await client.GetAsync("/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Logs_NeverContainSecretsOrTokens()
    {
        var logs = new ConcurrentQueue<string>();
        await using var server = await ScimServer.StartAsync(
            builder => builder.Logging.AddProvider(new CapturingLoggerProvider(logs)),
            "--Logging:LogLevel:Default=Trace");
        var created = await server.CreateConnectionAsync("entra-logs", IdpKind.Entra);
        using var good = server.Client(created.Secret);
        const string wrong = "scb_this-is-a-wrong-secret-that-must-not-be-logged";
        using var bad = server.Client(wrong);

        await good.CreateUserAsync("logged@x.com");
        await good.GetAsync("Users?filter=userName%20eq%20%22logged@x.com%22");
        await bad.GetAsync("Users");
        await good.GetAsync("Users/does-not-exist");

        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, line => line.Contains(created.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, line => line.Contains(wrong, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, line => line.Contains(Convert.ToHexString(ConnectionSecret.Hash(created.Secret)), StringComparison.OrdinalIgnoreCase));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
