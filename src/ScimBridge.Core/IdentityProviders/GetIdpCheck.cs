using Mediator;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>One check run with its whole report (findings and repair outcomes).</summary>
public sealed record GetIdpCheck(Guid Id) : IQuery<IdpCheckRunRecord>;

public sealed class GetIdpCheckHandler(IIdpCheckStore checks) : IQueryHandler<GetIdpCheck, IdpCheckRunRecord>
{
    public async ValueTask<IdpCheckRunRecord> Handle(GetIdpCheck query, CancellationToken cancellationToken) =>
        await checks.GetRunAsync(query.Id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"No IdP check run {query.Id}.");
}
