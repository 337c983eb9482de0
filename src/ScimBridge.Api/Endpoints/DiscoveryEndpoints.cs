using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Http;
using ScimBridge.Core.Resources;
using ScimBridge.Scim;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Api.Endpoints;

/// <summary>
/// /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), served from scim-schemas/*.json with the
/// configured limits filled in, so the documents say what the server really does. They carry no tenant data and
/// need no authentication. /Me and /Bulk answer 501, as ServiceProviderConfig advertises.
/// </summary>
public static class DiscoveryEndpoints
{
    public static RouteGroupBuilder MapScimDiscovery(this RouteGroupBuilder scim)
    {
        var registry = SchemaRegistry.Instance;

        scim.MapGet("/ServiceProviderConfig", (HttpContext context, IOptions<ScimOptions> options, ScimCallerFactory callers) =>
        {
            var config = registry.ServiceProviderConfigDocument.DeepClone().AsObject();
            config["filter"]!["maxResults"] = options.Value.MaxResults;
            return ScimJson.WriteAsync(context, WithLocation(callers.ScimBaseUrl(context), config));
        });

        scim.MapGet("/ResourceTypes", (HttpContext context, ScimCallerFactory callers) =>
            ScimJson.WriteAsync(context, List(callers.ScimBaseUrl(context), registry.ResourceTypeDocuments)));
        scim.MapGet("/ResourceTypes/{id}", (string id, HttpContext context, ScimCallerFactory callers) =>
            Single(context, callers.ScimBaseUrl(context), registry.ResourceTypeDocuments.FirstOrDefault(r => string.Equals((string?)r["id"], id, StringComparison.OrdinalIgnoreCase)), "ResourceType", id));

        scim.MapGet("/Schemas", (HttpContext context, ScimCallerFactory callers) =>
            ScimJson.WriteAsync(context, List(callers.ScimBaseUrl(context), registry.SchemaDocuments)));
        scim.MapGet("/Schemas/{id}", (string id, HttpContext context, ScimCallerFactory callers) =>
            Single(context, callers.ScimBaseUrl(context), registry.FindSchemaDocument(id), "Schema", id));

        scim.Map("/Me", (RequestDelegate)(_ => throw new ScimException(501, null, "/Me is not supported: SCIM clients here are IdP connections, not users.")));
        scim.Map("/Bulk", (RequestDelegate)(_ => throw new ScimException(501, null, "Bulk operations are not supported (bulk.supported is false).")));
        return scim;
    }

    private static Task Single(HttpContext context, string baseUrl, JsonObject? document, string what, string id) =>
        document is null
            ? throw ScimException.NotFound($"{what} '{id}' not found.")
            : ScimJson.WriteAsync(context, WithLocation(baseUrl, document.DeepClone().AsObject()));

    private static JsonObject List(string baseUrl, IEnumerable<JsonObject> documents)
    {
        var resources = new JsonArray([.. documents.Select(d => (JsonNode)WithLocation(baseUrl, d.DeepClone().AsObject()))]);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.ListResponseSchema),
            ["totalResults"] = resources.Count,
            ["startIndex"] = 1,
            ["itemsPerPage"] = resources.Count,
            ["Resources"] = resources,
        };
    }

    // The files hold relative locations ("/v2/Schemas/…"); RFC 7643 §3.1 wants meta.location absolute.
    private static JsonObject WithLocation(string baseUrl, JsonObject document)
    {
        if (document["meta"] is JsonObject meta && meta["location"] is JsonValue location)
        {
            meta["location"] = baseUrl + location.ToString().Replace("/v2/", "/", StringComparison.Ordinal);
        }

        return document;
    }
}
