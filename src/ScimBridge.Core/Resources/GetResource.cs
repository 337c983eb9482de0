using Mediator;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>GET /Users/{id} or /Groups/{id} (RFC 7644 §3.4.1).</summary>
public sealed record GetResource(ScimCaller Caller, ScimResourceKind Kind, string Id, string? Attributes, string? ExcludedAttributes)
    : IQuery<ScimResponse>;

public sealed class GetResourceHandler(IResourceStore store) : IQueryHandler<GetResource, ScimResponse>
{
    public async ValueTask<ScimResponse> Handle(GetResource query, CancellationToken cancellationToken)
    {
        var schema = SchemaRegistry.Instance.For(query.Kind);
        var selection = AttributeSelection.Parse(schema, query.Attributes, query.ExcludedAttributes);
        var record = await ResourceResponses.GetOrThrowAsync(
            store, query.Caller, query.Kind, query.Id, ResourceResponses.NeedsRelations(query.Kind, selection), cancellationToken);
        return ResourceResponses.Build(record, query.Caller, selection);
    }
}
