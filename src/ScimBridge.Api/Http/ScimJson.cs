using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using ScimBridge.Core.Resources;
using ScimBridge.Scim;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Api.Http;

/// <summary>Reads SCIM request bodies and writes SCIM responses (always application/scim+json).</summary>
public static class ScimJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Accepts application/scim+json and application/json, with or without charset (RFC 7644 §3.1; Okta sends
    /// application/json on POST). Anything else is 415; malformed JSON is 400 invalidSyntax.
    /// </summary>
    public static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        if (!IsJson(request.ContentType))
        {
            throw new ScimException(415, null, ScimErrors.DefaultDetail(415));
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body, documentOptions: DocumentOptions, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ScimException.InvalidSyntax($"Malformed JSON: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await ReadAsync(request) as JsonObject ?? throw ScimException.InvalidSyntax("The request body must be a JSON object.");

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        return media.MediaType.Equals("application/scim+json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    public static async Task WriteAsync(HttpContext context, JsonNode body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ScimConstants.MediaType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    public static Task WriteResourceAsync(HttpContext context, ScimResponse response, int status = 200)
    {
        context.Response.Headers.ETag = response.ETag;
        if (status == 201)
        {
            context.Response.Headers.Location = response.Location;
        }

        if (response.Body is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        return WriteAsync(context, response.Body, status);
    }
}
