using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ScimBridge.Core;

/// <summary>The one ActivitySource and Meter of ScimBridge ("ScimBridge"), registered with OpenTelemetry by the host.</summary>
public static class ScimBridgeTelemetry
{
    public const string Name = "ScimBridge";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>scim.requests{idp, op, status}: one per SCIM request, recorded by the host.</summary>
    public static readonly Counter<long> ScimRequests = Meter.CreateCounter<long>("scim.requests", description: "SCIM requests by IdP kind, operation and status.");

    public static readonly Histogram<double> UseCaseDuration = Meter.CreateHistogram<double>("scimbridge.use_case.duration", unit: "ms", description: "Duration of each use case.");

    /// <summary>Failed authentications, by reason class (never the credential).</summary>
    public static readonly Counter<long> AuthFailures = Meter.CreateCounter<long>("scim.auth.failures", description: "Failed SCIM authentications.");

    /// <summary>adapter.calls{platform, target, op, outcome}: one per platform API call, after retries.</summary>
    public static readonly Counter<long> AdapterCalls = Meter.CreateCounter<long>("adapter.calls", description: "Platform API calls by platform, target, operation and outcome.");

    public static readonly Histogram<double> AdapterCallDuration = Meter.CreateHistogram<double>("adapter.call.duration", unit: "ms", description: "Duration of each platform API call, retries included.");

    /// <summary>reconcile.duration{target, status}: one per target per reconciliation run.</summary>
    public static readonly Histogram<double> ReconcileDuration = Meter.CreateHistogram<double>("reconcile.duration", unit: "ms", description: "Duration of a reconciliation run of one target.");

    /// <summary>reconcile.drift{target}: drift items seen by each run.</summary>
    public static readonly Counter<long> ReconcileDrift = Meter.CreateCounter<long>("reconcile.drift", description: "Drift items found by reconciliation runs.");
}
