using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>
/// Puts a real SCIM service provider (a second ScimBridge) behind <see cref="SimulatorHost"/>: the host adds its
/// faults, rate limits, 401s and request log, and this platform forwards everything else under /scim/v2 unchanged.
/// That lets the shared contract suite, which drives <see cref="SimulatorControl"/>, run against the SCIM adapter.
/// Tests can also see each request body and bend the target's behaviour (ignore a filter, answer something canned).
/// </summary>
public sealed class ScimProxyPlatform(Uri target) : ISimulatedPlatform, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = target };

    public string Name => "scim-proxy";

    public string BasePath => "/scim/v2";

    /// <summary>Every forwarded or intercepted request: method, path and query as sent, body.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, string Body)> Sent { get; } = new();

    /// <summary>Changes the path and query before forwarding (e.g. drops a filter, as a target that ignores it).</summary>
    public Func<string, string>? Rewrite { get; set; }

    /// <summary>Answers instead of the target when it returns a status and body.</summary>
    public Func<string, string, (int Status, string Body)?>? Intercept { get; set; }

    public bool IsAuthorized(HttpRequest request, string adminKey) => request.Headers.Authorization == "Bearer " + adminKey;

    public Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/scim+json";
        var error = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:Error"),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["detail"] = message,
        };
        return context.Response.WriteAsync(error.ToJsonString());
    }

    public void MapRoutes(IEndpointRouteBuilder routes) => routes.Map("/scim/v2/{**rest}", ForwardAsync);

    public void Seed(Stream json) => throw new NotSupportedException("Seed the ScimBridge behind the proxy over SCIM.");

    public object Snapshot() => new { target = _http.BaseAddress };

    public void Dispose() => _http.Dispose();

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var pathAndQuery = request.Path + request.QueryString.ToString();
        Sent.Enqueue((request.Method, pathAndQuery, body));
        if (Intercept?.Invoke(request.Method, pathAndQuery) is { } canned)
        {
            context.Response.StatusCode = canned.Status;
            if (canned.Body.Length > 0)
            {
                context.Response.ContentType = "application/scim+json";
                await context.Response.WriteAsync(canned.Body, context.RequestAborted);
            }

            return;
        }

        pathAndQuery = Rewrite?.Invoke(pathAndQuery) ?? pathAndQuery;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), pathAndQuery.TrimStart('/'));
        message.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        message.Headers.TryAddWithoutValidation("Accept", request.Headers.Accept.ToString());
        if (body.Length > 0)
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            message.Content.Headers.Remove("Content-Type");
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType ?? "application/scim+json");
        }

        using var response = await _http.SendAsync(message, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        // Kestrel refuses any body write, even an empty one, on a 204 or 304.
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotModified))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
