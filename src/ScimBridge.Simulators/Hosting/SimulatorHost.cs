using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ScimBridge.Simulators.Hosting;

/// <summary>A simulator listening on loopback: its base address, its control knobs and its platform (for state checks).</summary>
public sealed class RunningSimulator<TPlatform>(WebApplication app, TPlatform platform, SimulatorControl control, Uri root) : IAsyncDisposable
    where TPlatform : ISimulatedPlatform
{
    public TPlatform Platform { get; } = platform;

    public SimulatorControl Control { get; } = control;

    /// <summary>The server root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Root { get; } = root;

    /// <summary>What an adapter's BaseUrl should be: root + the platform's base path.</summary>
    public Uri BaseUrl { get; } = new(root, platform.BasePath.TrimStart('/'));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public static class SimulatorHost
{
    /// <summary>Starts <paramref name="platform"/> on <paramref name="url"/> (a free loopback port by default).</summary>
    public static async Task<RunningSimulator<TPlatform>> StartAsync<TPlatform>(
        TPlatform platform,
        string adminKey,
        string url = "http://127.0.0.1:0",
        TimeProvider? time = null)
        where TPlatform : ISimulatedPlatform
    {
        var app = Build(platform, adminKey, url, time ?? TimeProvider.System, out var control);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSimulator<TPlatform>(app, platform, control, new Uri(address.TrimEnd('/') + "/"));
    }

    public static WebApplication Build(ISimulatedPlatform platform, string adminKey, string url, TimeProvider time, out SimulatorControl control)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            // The Graph fake's token endpoint must be TLS for Azure.Identity; see LoopbackCertificate.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = IdentityProviders.LoopbackCertificate.Instance));
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var knobs = new SimulatorControl(time) { AdminKey = adminKey };
        control = knobs;

        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var pathAndQuery = request.Path + request.QueryString;
            if (request.Path.StartsWithSegments("/_sim", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            using var inFlight = knobs.Enter();
            var verdict = knobs.Judge();
            if (verdict.DelayMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(verdict.DelayMilliseconds), time, context.RequestAborted);
            }

            switch (verdict.Kind)
            {
                case VerdictKind.Drop:
                    knobs.Record(request.Method, pathAndQuery, 0);
                    context.Abort();
                    return;
                case VerdictKind.Error:
                    knobs.Record(request.Method, pathAndQuery, verdict.Status);
                    await platform.WriteErrorAsync(context, verdict.Status, "Simulated server error.");
                    return;
            }

            if (!platform.IsAuthorized(request, knobs.AdminKey))
            {
                knobs.Record(request.Method, pathAndQuery, 401);
                await platform.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Invalid authentication credentials.");
                return;
            }

            if (knobs.TakeToken() is { } retryAfter)
            {
                knobs.Record(request.Method, pathAndQuery, 429);
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await platform.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded. Please try again later.");
                return;
            }

            await next(context);
            knobs.Record(request.Method, pathAndQuery, context.Response.StatusCode);
        });

        // Unmatched paths get the platform's own 404 body, as the real APIs give.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.GetEndpoint() is null)
            {
                await platform.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Unknown path {context.Request.Path}.");
            }
        });

        MapControl(app, platform, knobs);
        platform.MapRoutes(app);
        return app;
    }

    private static void MapControl(WebApplication app, ISimulatedPlatform platform, SimulatorControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/state", () => Results.Json(platform.Snapshot()));
        sim.MapPost("/seed", async (HttpRequest request) =>
        {
            // Kestrel refuses synchronous reads of a request body, and Seed reads its stream synchronously: buffer first.
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            body.Position = 0;
            platform.Seed(body);
            return Results.NoContent();
        });
        sim.MapPost("/faults", (FaultSettings faults) =>
        {
            control.SetFaults(faults);
            return Results.NoContent();
        });
        sim.MapPost("/rate-limit", (RateLimitSettings limit) =>
        {
            control.SetRateLimit(limit);
            return Results.NoContent();
        });
        sim.MapGet("/requests", () => Results.Json(control.Requests));
        sim.MapPost("/reset", () =>
        {
            control.Reset();
            return Results.NoContent();
        });
    }

    /// <summary>Reads a seed file into a platform on start (demo and command line).</summary>
    public static void SeedFromFile(ISimulatedPlatform platform, string path)
    {
        using var stream = File.OpenRead(path);
        platform.Seed(stream);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
