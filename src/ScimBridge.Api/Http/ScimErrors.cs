using System.Text.Json;
using ScimBridge.Scim;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Api.Http;

/// <summary>Writes the SCIM error body (RFC 7644 §3.12) as application/scim+json, status as a string.</summary>
public static class ScimErrors
{
    // Relaxed escaping: details quote attribute names, and \u0027 helps nobody reading an error.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ScimErrorJsonContext.Default,
    };

    public static bool IsScimPath(HttpContext context) => context.Request.Path.StartsWithSegments("/scim/v2", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteAsync(HttpContext context, int status, string? scimType, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = ScimConstants.MediaType;
        var error = new ScimError(status.ToString(System.Globalization.CultureInfo.InvariantCulture), scimType, detail);
        await JsonSerializer.SerializeAsync(context.Response.Body, error, Options, context.RequestAborted);
    }

    public static string DefaultDetail(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Authentication failed.",
        403 => "Forbidden.",
        404 => "Not found.",
        405 => "Method not allowed.",
        406 => "Not acceptable: this endpoint produces application/scim+json.",
        409 => "Conflict.",
        412 => "Precondition failed.",
        413 => "Request body too large.",
        415 => "Unsupported media type: send application/scim+json or application/json.",
        429 => "Too many requests.",
        501 => "Not implemented.",
        _ => "Unexpected error.",
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ScimError))]
internal sealed partial class ScimErrorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
