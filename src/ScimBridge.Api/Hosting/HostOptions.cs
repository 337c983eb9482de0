namespace ScimBridge.Api;

/// <summary>Host-level settings, bound from the "Host" section.</summary>
public sealed class HostOptions
{
    public const string Section = "Host";

    /// <summary>
    /// The externally visible base URL (e.g. https://scim.example.com) used in meta.location and $ref. When unset,
    /// the request's scheme and host are used.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Url]
    public string? PublicBaseUrl { get; set; }
}
