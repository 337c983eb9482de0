using Mediator;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>Recent check runs, newest first (one connection or all).</summary>
public sealed record ListIdpChecks(string? Connection, int Limit) : IQuery<IReadOnlyList<IdpCheckRunRecord>>;

public sealed class ListIdpChecksHandler(IIdpCheckStore checks) : IQueryHandler<ListIdpChecks, IReadOnlyList<IdpCheckRunRecord>>
{
    public async ValueTask<IReadOnlyList<IdpCheckRunRecord>> Handle(ListIdpChecks query, CancellationToken cancellationToken) =>
        await checks.ListRunsAsync(query.Connection, Math.Clamp(query.Limit, 1, 500), cancellationToken).ConfigureAwait(false);
}
