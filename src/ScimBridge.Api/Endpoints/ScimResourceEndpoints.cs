using System.Globalization;
using System.Text.Json.Nodes;
using Mediator;
using ScimBridge.Api.Auth;
using ScimBridge.Api.Http;
using ScimBridge.Core.Resources;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Api.Endpoints;

/// <summary>/Users and /Groups (RFC 7644 §3.3–3.6): one set of handlers, mapped once per resource type.</summary>
public static class ScimResourceEndpoints
{
    public static RouteGroupBuilder MapScimResources(this RouteGroupBuilder scim)
    {
        Map(scim, ScimResourceKind.User, "/Users");
        Map(scim, ScimResourceKind.Group, "/Groups");
        return scim;
    }

    private static void Map(RouteGroupBuilder scim, ScimResourceKind kind, string route)
    {
        var resources = scim.MapGroup(route).RequireAuthorization(ScimAuthentication.Policy);

        resources.MapGet("/", (HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
            ListAsync(context, mediator, callers.Create(context), kind, SearchRequest.FromQuery(context.Request.Query)));

        resources.MapPost("/.search", async (HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
            await ListAsync(context, mediator, callers.Create(context), kind, SearchRequest.FromBody(await ScimJson.ReadObjectAsync(context.Request))));

        resources.MapGet("/{id}", async (string id, HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
        {
            var query = context.Request.Query;
            var response = await mediator.Send(new GetResource(callers.Create(context), kind, id, query["attributes"], query["excludedAttributes"]), context.RequestAborted);
            if (context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch
                && ifNoneMatch.Split(',').Any(tag => tag.Trim() == "*" || Versioning.ParseETag(tag) == response.Version))
            {
                context.Response.Headers.ETag = response.ETag;
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            await ScimJson.WriteResourceAsync(context, response);
        });

        resources.MapPost("/", async (HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
        {
            var body = await ScimJson.ReadObjectAsync(context.Request);
            var query = context.Request.Query;
            var response = await mediator.Send(new CreateResource(callers.Create(context), kind, body, query["attributes"], query["excludedAttributes"]), context.RequestAborted);
            await ScimJson.WriteResourceAsync(context, response, StatusCodes.Status201Created);
        });

        resources.MapPut("/{id}", async (string id, HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
        {
            var body = await ScimJson.ReadObjectAsync(context.Request);
            var query = context.Request.Query;
            var caller = callers.Create(context);
            var response = await mediator.Send(
                new ReplaceResource(caller, kind, id, body, await IfMatchAsync(context, mediator, caller, kind, id), query["attributes"], query["excludedAttributes"]),
                context.RequestAborted);
            await ScimJson.WriteResourceAsync(context, response);
        });

        resources.MapPatch("/{id}", async (string id, HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
        {
            var body = await ScimJson.ReadAsync(context.Request);
            var query = context.Request.Query;

            // RFC 7644 §3.5.2 allows 200 with the resource or 204. Users answer 200 (Okta and Entra read it back);
            // Groups answer 204 unless attributes are asked for, as Entra recommends for groups (E20, E21), so a
            // member change to a 50,000-member group never serialises the whole member list.
            var representation = kind == ScimResourceKind.User || query.ContainsKey("attributes") || query.ContainsKey("excludedAttributes");
            var caller = callers.Create(context);
            var response = await mediator.Send(
                new PatchResource(caller, kind, id, body, await IfMatchAsync(context, mediator, caller, kind, id), representation, query["attributes"], query["excludedAttributes"]),
                context.RequestAborted);
            await ScimJson.WriteResourceAsync(context, response);
        });

        resources.MapDelete("/{id}", async (string id, HttpContext context, IMediator mediator, ScimCallerFactory callers) =>
        {
            var caller = callers.Create(context);
            await mediator.Send(new DeleteResource(caller, kind, id, await IfMatchAsync(context, mediator, caller, kind, id)), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    private static async Task ListAsync(HttpContext context, IMediator mediator, ScimCaller caller, ScimResourceKind kind, SearchRequest search)
    {
        var result = await mediator.Send(
            new QueryResources(caller, kind, search.Filter, search.SortBy, search.SortOrder, search.StartIndex, search.Count, search.Attributes, search.ExcludedAttributes),
            context.RequestAborted);
        await ScimJson.WriteAsync(context, result);
    }

    /// <summary>
    /// The version an If-Match header requires: none without the header or with "*". A list of tags matches when any
    /// is current (RFC 9110 §13.1.1), so for a list the current version is looked up and required if listed; the
    /// write then checks it atomically as for a single tag. A tag we never issued requires an impossible version.
    /// </summary>
    private static async ValueTask<long?> IfMatchAsync(HttpContext context, IMediator mediator, ScimCaller caller, ScimResourceKind kind, string id)
    {
        var tags = context.Request.Headers.IfMatch.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tags.Length == 0 || tags.Contains("*"))
        {
            return null;
        }

        if (tags.Length == 1)
        {
            return Versioning.ParseETag(tags[0]);
        }

        var current = await mediator.Send(new GetResource(caller, kind, id, "id", null), context.RequestAborted);
        return tags.Any(tag => Versioning.ParseETag(tag) == current.Version) ? current.Version : -1;
    }

    /// <summary>The query parameters of GET, or the SearchRequest body of POST /.search (RFC 7644 §3.4.3).</summary>
    private sealed record SearchRequest(
        string? Filter, string? SortBy, string? SortOrder, int? StartIndex, int? Count, string? Attributes, string? ExcludedAttributes)
    {
        public static SearchRequest FromQuery(IQueryCollection query) => new(
            query["filter"], query["sortBy"], query["sortOrder"], Integer(query["startIndex"], "startIndex"), Integer(query["count"], "count"),
            query["attributes"], query["excludedAttributes"]);

        public static SearchRequest FromBody(JsonObject body) => new(
            Text(body, "filter"), Text(body, "sortBy"), Text(body, "sortOrder"), Integer(Text(body, "startIndex"), "startIndex"),
            Integer(Text(body, "count"), "count"), List(body, "attributes"), List(body, "excludedAttributes"));

        private static int? Integer(string? text, string name)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? (int)Math.Clamp(value, int.MinValue, int.MaxValue)
                : throw ScimException.InvalidValue($"{name} must be an integer.");
        }

        private static string? Text(JsonObject body, string name) => Find(body, name) switch
        {
            null => null,
            JsonValue value => value.ToString(),
            _ => throw ScimException.InvalidValue($"{name} must be a single value."),
        };

        // SearchRequest attributes are JSON arrays of strings (RFC 7644 §3.4.3); a comma string is tolerated.
        private static string? List(JsonObject body, string name) => Find(body, name) switch
        {
            null => null,
            JsonArray array => string.Join(',', array.Select(a => a?.ToString())),
            JsonValue value => value.ToString(),
            _ => throw ScimException.InvalidValue($"{name} must be an array of attribute names."),
        };

        private static JsonNode? Find(JsonObject body, string name) =>
            body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
