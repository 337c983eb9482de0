using System.Net;
using System.Text;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>Answers recorded bodies by method and path (query ignored), and remembers every request it saw.</summary>
public sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

    public List<(HttpMethod Method, Uri Uri, string? Body, string? MediaType)> Requests { get; } = [];

    public StubHttpHandler On(HttpMethod method, string path, HttpStatusCode status, string body, string mediaType = "application/json", TimeSpan? retryAfter = null)
    {
        _routes[$"{method} {path}"] = () =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            if (retryAfter is { } delay)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
            }

            return response;
        };
        return this;
    }

    /// <summary>A file under Recorded/&lt;folder&gt;/ in the test output.</summary>
    public static string Recorded(string folder, string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", folder, file));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.MediaType));
        return _routes.TryGetValue($"{request.Method} {request.RequestUri!.AbsolutePath}", out var respond)
            ? respond()
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("{}") };
    }
}
