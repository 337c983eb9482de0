using Mediator;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>DELETE /Users/{id} or /Groups/{id}. Deactivation (active=false) never comes through here.</summary>
public sealed record DeleteResource(ScimCaller Caller, ScimResourceKind Kind, string Id, long? ExpectedVersion) : ICommand;

public sealed class DeleteResourceHandler(IResourceStore store) : ICommandHandler<DeleteResource>
{
    public async ValueTask<Unit> Handle(DeleteResource command, CancellationToken cancellationToken)
    {
        var outcome = await store.DeleteAsync(command.Kind, command.Caller.ConnectionId, command.Id, command.ExpectedVersion, cancellationToken);
        return outcome switch
        {
            WriteOutcome.Written => Unit.Value,
            WriteOutcome.NotFound => throw ResourceResponses.NotFound(command.Kind, command.Id),
            WriteOutcome.VersionMismatch => throw ScimException.PreconditionFailed("The resource has changed (If-Match does not match)."),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }
}
