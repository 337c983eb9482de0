namespace ScimBridge.Simulators.Hosting;

/// <summary>
/// One simulated platform: its routes and state, how it authenticates, and how it words its errors. The host wraps it
/// with faults, rate limits and the /_sim control routes, so each platform only writes what is really its own.
/// </summary>
public interface ISimulatedPlatform
{
    /// <summary>openai, anthropic or cursor.</summary>
    string Name { get; }

    /// <summary>The path under which the platform's API lives ("/v1" for OpenAI); adapters use host + this as base URL.</summary>
    string BasePath { get; }

    /// <summary>Whether the request carries the admin key in the platform's own way (Bearer, x-api-key, Basic).</summary>
    bool IsAuthorized(HttpRequest request, string adminKey);

    /// <summary>Writes an error in the platform's envelope: 401, 404, 429, 500, 529…</summary>
    Task WriteErrorAsync(HttpContext context, int status, string message);

    void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>Loads state from a seed file in the platform's wire format (replacing what was there).</summary>
    void Seed(Stream json);

    /// <summary>The whole state in wire format, for /_sim/state and for tests comparing the end state.</summary>
    object Snapshot();
}
