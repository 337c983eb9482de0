using System.Text.Json;
using Mediator;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>
/// The IdP drift report: per configured connection, the findings of its newest completed check, each marked new
/// (absent from the check before) and repaired (applied by that check), and the newest failed check when it came
/// after, so a check that stopped working is not mistaken for "no drift". Reads stored runs only.
/// </summary>
public sealed record GetIdpDriftReport(string? Connection) : IQuery<IdpDriftReport>;

public sealed record IdpDriftReport(IReadOnlyList<IdpConnectionDrift> Connections);

public sealed record IdpConnectionDrift(
    string Connection, Guid? RunId, DateTimeOffset? RunStarted, string? Status, IReadOnlyList<IdpDriftLine> Items, IdpCheckFailure? LastFailure);

public sealed record IdpDriftLine(IdpFinding Finding, bool New, bool Repaired);

public sealed record IdpCheckFailure(Guid RunId, DateTimeOffset Started, string? Error);

public sealed class GetIdpDriftReportHandler(IIdpCheckRegistry registry, IIdpCheckStore checks) : IQueryHandler<GetIdpDriftReport, IdpDriftReport>
{
    // How far back to look for the newest completed check and the one before it.
    private const int History = 50;

    public async ValueTask<IdpDriftReport> Handle(GetIdpDriftReport query, CancellationToken cancellationToken)
    {
        IEnumerable<string> names = query.Connection is null
            ? registry.Connections.Select(c => c.Name)
            : [registry.Find(query.Connection)?.Name ?? throw new NotFoundException($"No IdP check is configured for connection '{query.Connection}'.")];
        var connections = new List<IdpConnectionDrift>();
        foreach (var name in names)
        {
            var runs = await checks.ListRunsAsync(name, History, cancellationToken).ConfigureAwait(false);
            var completed = runs.Where(r => r.Status != IdpCheckReport.Failed).Take(2).ToList();
            var failure = runs.FirstOrDefault(r => r.Status == IdpCheckReport.Failed && (completed.Count == 0 || r.Started > completed[0].Started));
            var lastFailure = failure is null ? null : new IdpCheckFailure(failure.Id, failure.Started, Parse(failure).Error);
            if (completed.Count == 0)
            {
                connections.Add(new IdpConnectionDrift(name, null, null, null, [], lastFailure));
                continue;
            }

            var current = Parse(completed[0]);
            var before = completed.Count > 1 ? Parse(completed[1]).Findings.ToHashSet() : null;
            var repaired = current.Repairs.Where(r => r.Result == "applied").Select(r => r.Finding).ToHashSet();
            connections.Add(new IdpConnectionDrift(
                name,
                current.Id,
                current.Started,
                current.Status,
                [.. current.Findings.Select(f => new IdpDriftLine(f, before is null || !before.Contains(f), repaired.Contains(f)))],
                lastFailure));
        }

        return new IdpDriftReport(connections);
    }

    private static IdpCheckReport Parse(IdpCheckRunRecord run) =>
        JsonSerializer.Deserialize<IdpCheckReport>(run.ReportJson, IdpCheckReport.Json) ?? throw new InvalidDataException($"IdP check run {run.Id} has no report.");
}
