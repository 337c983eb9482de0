using System.Text.Json.Nodes;

namespace ScimBridge.Core.Resources;

/// <summary>A single-resource response: the representation (null for 204), its version and location.</summary>
public sealed record ScimResponse(JsonObject? Body, long Version, string Location)
{
    public string ETag => Versioning.ToETag(Version);
}

public static class Versioning
{
    /// <summary>meta.version and the ETag header carry the same weak validator (RFC 7644 §3.14).</summary>
    public static string ToETag(long version) => $"W/\"{version}\"";

    /// <summary>
    /// Reads an If-Match/If-None-Match value. "*" means any version (null). A tag we never issued maps to -1,
    /// which no stored version equals, so the conditional write fails with 412 as RFC 7232 requires.
    /// </summary>
    public static long? ParseETag(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var tag = header.Trim();
        if (tag == "*")
        {
            return null;
        }

        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        tag = tag.Trim('"');
        return long.TryParse(tag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }
}
