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

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks, e.g. 10.0.0.0/8) whose X-Forwarded-For/-Proto/-Host are
    /// trusted. Behind a proxy this is what gives the failed-authentication throttle each client's own address
    /// instead of the proxy's. Loopback is always trusted.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// On SIGTERM the server stops accepting connections and waits up to this long for in-flight requests to finish
    /// (keep it below Kubernetes' terminationGracePeriodSeconds, 45 in deploy/k8s).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
