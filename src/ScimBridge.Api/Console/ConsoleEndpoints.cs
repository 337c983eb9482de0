using ScimBridge.Api.Operators;

namespace ScimBridge.Api.WebConsole;

/// <summary>
/// The web console at /console: embedded static files under a strict Content-Security-Policy (no inline script or
/// style, nothing from another origin, no framing), the sign-in calls under /console/api, and the read-only
/// /admin/connections and /admin/targets lists the console shows.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>
    /// Scripts, styles and fetches from this origin only; charts are SVG built through the DOM, so no inline style
    /// attribute is needed either. form-action and frame-ancestors are not covered by default-src, hence named.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOperators(configuration);
        services.AddSingleton<ConsoleAssets>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/console/api").MapOperatorSignIn().ExcludeFromDescription();
        routes.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<OperatorAuthenticator>().AuthorizeAsync(context.HttpContext) ?? await next(context))
            .MapAdminDirectory();

        // Routing matches "/console/" to this template too; only the bare "/console" is redirected, so that the
        // page's relative URLs (console.css, js/app.js) resolve under /console/.
        routes.MapGet("/console", (HttpContext http, ConsoleAssets assets) =>
        {
            if (http.Request.Path.Value?.EndsWith('/') == true)
            {
                return Serve(http, assets, null);
            }

            http.Response.Headers.Location = http.Request.PathBase + "/console/";
            return Results.StatusCode(StatusCodes.Status308PermanentRedirect);
        }).ExcludeFromDescription();
        routes.MapGet("/console/{**path}", (string? path, HttpContext http, ConsoleAssets assets) => Serve(http, assets, path))
            .ExcludeFromDescription();
        return routes;
    }

    private static IResult Serve(HttpContext http, ConsoleAssets assets, string? path)
    {
        // The console routes by the URL fragment (#/drift), so every page is index.html.
        if (assets.Find(string.IsNullOrEmpty(path) ? "index.html" : path) is not { } asset)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: "No such console file.");
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        // Revalidated every time (cheap: an ETag match is a 304), so an upgrade never leaves an old script cached.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
