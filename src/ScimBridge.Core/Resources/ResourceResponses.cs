using ScimBridge.Core.Storage;
using ScimBridge.Scim.Projection;

namespace ScimBridge.Core.Resources;

internal static class ResourceResponses
{
    public static ScimResponse Build(ResourceRecord record, ScimCaller caller, AttributeSelection selection) =>
        new(selection.Apply(ResourceRepresentation.Compose(record, caller.BaseUrl)), record.Version,
            ResourceRepresentation.Location(caller.BaseUrl, record.Kind, record.Id));

    public static ScimResponse Empty(ResourceRecord record, ScimCaller caller) =>
        new(null, record.Version, ResourceRepresentation.Location(caller.BaseUrl, record.Kind, record.Id));

    /// <summary>Group members and user groups are read only when the response will show them.</summary>
    public static bool NeedsRelations(Scim.Schemas.ScimResourceKind kind, AttributeSelection selection) =>
        selection.Includes(kind == Scim.Schemas.ScimResourceKind.Group ? "members" : "groups");

    public static async Task<ResourceRecord> GetOrThrowAsync(
        IResourceStore store, ScimCaller caller, Scim.Schemas.ScimResourceKind kind, string id, bool includeRelations, CancellationToken cancellationToken) =>
        await store.GetAsync(kind, caller.ConnectionId, id, includeRelations, cancellationToken)
        ?? throw NotFound(kind, id);

    public static Scim.Errors.ScimException NotFound(Scim.Schemas.ScimResourceKind kind, string id) =>
        Scim.Errors.ScimException.NotFound($"{kind} {id} not found.");
}
