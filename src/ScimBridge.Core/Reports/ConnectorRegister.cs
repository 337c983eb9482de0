using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Reports;

/// <summary>GET /admin/reports/connectors; field names are the API contract.</summary>
public sealed record ConnectorRegisterResult(IReadOnlyList<ConnectorEntry> Targets);

public sealed record ConnectorEntry(
    string Target,
    string Platform,
    string? Owner,
    string? BaseUrl,
    string Mode,
    IReadOnlyList<string> Reach,
    IReadOnlyList<CoverageRow> Coverage)
{
    public string? Description { get; init; }

    /// <summary>Why <see cref="Reach"/> holds only "org": the target's containers could not be read.</summary>
    public string? Error { get; init; }
}

public sealed record CoverageRow(string ObjectType, string Governance);

/// <summary>A target's configured business owner, description and API base URL (section Platforms:Targets:&lt;name&gt;).</summary>
public sealed record TargetDescription(string? Owner, string? Description, string? BaseUrl);

/// <summary>Reads what configuration says about a target beyond its adapter; the host implements it.</summary>
public interface ITargetCatalog
{
    TargetDescription Describe(string target);
}

/// <summary>
/// The register of AI connector paths: every configured target with its business owner, what it can reach (the
/// organisation and its containers, read live) and the coverage table of what ScimBridge governs there.
/// </summary>
public sealed class ConnectorRegister(IPlatformRegistry platforms, IPolicyProvider policies, ITargetCatalog catalog)
{
    public async Task<ConnectorRegisterResult> BuildAsync(CancellationToken cancellationToken)
    {
        var policy = policies.Current.Policy;
        var entries = new List<ConnectorEntry>();
        foreach (var adapter in platforms.Adapters)
        {
            var target = adapter.Target;
            TargetMode? mode = policy?.Targets.TryGetValue(target.Name, out var targetPolicy) == true ? targetPolicy.Mode : null;
            var description = catalog.Describe(target.Name);
            var reach = new List<string> { "org" };
            string? error = null;
            if (adapter is IContainerReader containers)
            {
                try
                {
                    await foreach (var container in Pages.ReadAllAsync(containers.ListContainersAsync, cancellationToken).ConfigureAwait(false))
                    {
                        if (!container.Archived)
                        {
                            reach.Add(PlatformFacts.ContainerObject(container));
                        }
                    }
                }
                catch (PlatformException e)
                {
                    error = e.Message;
                }
            }

            entries.Add(new ConnectorEntry(
                target.Name,
                target.Platform,
                description.Owner,
                description.BaseUrl,
                mode switch { TargetMode.Enforce => "enforce", TargetMode.Observe => "observe", _ => "unmanaged" },
                [.. reach.Distinct(StringComparer.Ordinal)],
                ConnectorCoverage.For(target.Platform, adapter.Capabilities(), mode))
            {
                Description = description.Description,
                Error = error,
            });
        }

        return new ConnectorRegisterResult(entries);
    }
}
