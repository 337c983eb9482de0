using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Core.Resources;

/// <summary>Protocol limits, bound from the "Scim" configuration section.</summary>
public sealed class ScimOptions
{
    public const string Section = "Scim";

    /// <summary>The most resources one list response carries (advertised as filter.maxResults).</summary>
    [Range(1, 10_000)]
    public int MaxResults { get; set; } = 1000;

    /// <summary>Page size when the client gives no count.</summary>
    [Range(1, 10_000)]
    public int DefaultCount { get; set; } = 100;

    /// <summary>Request bodies above this size are refused with 413 (a 50,000-member group PUT is about 3 MB).</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8L * 1024 * 1024;
}
