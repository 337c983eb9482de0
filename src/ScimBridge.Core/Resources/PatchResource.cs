using System.Text.Json.Nodes;
using Mediator;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>
/// PATCH /Users/{id} or /Groups/{id} (RFC 7644 §3.5.2). Operations apply in order and atomically: the new body is
/// computed in memory and written in one conditional UPDATE together with the member changes. Member changes go
/// straight to the member table, so adding one member costs the same whatever the group's size.
/// </summary>
public sealed record PatchResource(
    ScimCaller Caller,
    ScimResourceKind Kind,
    string Id,
    JsonNode? Body,
    long? ExpectedVersion,
    bool ReturnRepresentation,
    string? Attributes,
    string? ExcludedAttributes) : ICommand<ScimResponse>;

public sealed class PatchResourceHandler(IResourceStore store, TimeProvider clock) : ICommandHandler<PatchResource, ScimResponse>
{
    /// <summary>
    /// Concurrent PATCHes of one resource's body retry on a version conflict (no client If-Match). Each round lets
    /// one writer through, so N concurrent writers need up to N attempts; with 5, the 7th of 7 parallel PATCHes got a
    /// 412 although it sent no precondition (found by ResourceLifecycleTests.PatchUser_ConcurrentDifferentAttributes_AllApplied).
    /// </summary>
    private const int MaxAttempts = 64;

    public async ValueTask<ScimResponse> Handle(PatchResource command, CancellationToken cancellationToken)
    {
        var schema = SchemaRegistry.Instance.For(command.Kind);
        var operations = PatchRequest.Parse(command.Body, command.Caller.Dialect);
        var (attributeOperations, memberChanges) = command.Kind == ScimResourceKind.Group
            ? GroupMemberPatch.Split(operations, command.Caller.Dialect)
            : (operations, (IReadOnlyList<MemberChange>)[]);

        ResourceRecord? written = null;
        for (var attempt = 1; written is null; attempt++)
        {
            JsonObject? newBody = null;
            var expected = command.ExpectedVersion;
            if (attributeOperations.Count > 0 || memberChanges.Count == 0)
            {
                var current = await ResourceResponses.GetOrThrowAsync(
                    store, command.Caller, command.Kind, command.Id, includeRelations: false, cancellationToken);
                if (command.ExpectedVersion is { } version && version != current.Version)
                {
                    throw PreconditionFailed();
                }

                newBody = PatchApplier.Apply(schema, current.Body, attributeOperations, command.Id, command.Caller.Dialect);
                if (memberChanges.Count == 0 && JsonNode.DeepEquals(newBody, current.Body))
                {
                    // Nothing changes (an empty Operations list, or Entra re-sending what is already there):
                    // success without a new version, as better-auth#8549 and scimmy#59 expect.
                    written = current;
                    break;
                }

                expected ??= current.Version;
            }

            var (outcome, record) = await store.UpdateAsync(
                command.Kind, command.Caller.ConnectionId, command.Id, newBody, memberChanges, expected, clock.GetUtcNow(), cancellationToken);
            switch (outcome)
            {
                case WriteOutcome.Written:
                    written = record;
                    break;
                case WriteOutcome.NotFound:
                    throw ResourceResponses.NotFound(command.Kind, command.Id);
                case WriteOutcome.VersionMismatch when command.ExpectedVersion is not null || attempt >= MaxAttempts:
                    throw PreconditionFailed();
                case WriteOutcome.VersionMismatch:
                    continue;
            }
        }

        if (!command.ReturnRepresentation)
        {
            return ResourceResponses.Empty(written, command.Caller);
        }

        var selection = AttributeSelection.Parse(schema, command.Attributes, command.ExcludedAttributes);
        var full = await ResourceResponses.GetOrThrowAsync(
            store, command.Caller, command.Kind, command.Id, ResourceResponses.NeedsRelations(command.Kind, selection), cancellationToken);
        return ResourceResponses.Build(full, command.Caller, selection);
    }

    private static ScimException PreconditionFailed() =>
        ScimException.PreconditionFailed("The resource has changed (If-Match does not match).");
}
