using Mediator;

namespace ScimBridge.Core.Connections;

public sealed record ListConnections : IQuery<IReadOnlyList<IdpConnection>>;

public sealed class ListConnectionsHandler(IConnectionStore store) : IQueryHandler<ListConnections, IReadOnlyList<IdpConnection>>
{
    public async ValueTask<IReadOnlyList<IdpConnection>> Handle(ListConnections query, CancellationToken cancellationToken) =>
        await store.ListAsync(cancellationToken);
}
