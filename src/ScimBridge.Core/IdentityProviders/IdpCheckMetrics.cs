using System.Diagnostics.Metrics;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>The IdP checks' instruments, on ScimBridge's one Meter.</summary>
internal static class IdpCheckMetrics
{
    /// <summary>idp.checks{connection, status}: one per check run (consistent, drift, failed).</summary>
    public static readonly Counter<long> Checks = ScimBridgeTelemetry.Meter.CreateCounter<long>("idp.checks", description: "IdP source-of-truth checks by connection and status.");

    /// <summary>idp.findings{connection, kind}: disagreements found by check runs.</summary>
    public static readonly Counter<long> Findings = ScimBridgeTelemetry.Meter.CreateCounter<long>("idp.findings", description: "Disagreements between the IdP and the SCIM store, by kind.");

    /// <summary>idp.requests{connection}: IdP API requests made by check runs, throttled answers included.</summary>
    public static readonly Counter<long> Requests = ScimBridgeTelemetry.Meter.CreateCounter<long>("idp.requests", description: "IdP API requests made by checks.");

    public static readonly Histogram<double> Duration = ScimBridgeTelemetry.Meter.CreateHistogram<double>("idp.check.duration", unit: "ms", description: "Duration of an IdP check of one connection.");
}
