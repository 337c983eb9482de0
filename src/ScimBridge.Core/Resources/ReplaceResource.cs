using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>
/// PUT /Users/{id} or /Groups/{id} (RFC 7644 §3.5.1): replace semantics, so writable attributes the body leaves
/// out are cleared, and a group's members become exactly the members given. Okta AIW apps update users this way.
/// </summary>
public sealed record ReplaceResource(
    ScimCaller Caller, ScimResourceKind Kind, string Id, JsonObject Body, long? ExpectedVersion, string? Attributes, string? ExcludedAttributes)
    : ICommand<ScimResponse>;

public sealed class ReplaceResourceValidator : AbstractValidator<ReplaceResource>
{
    public ReplaceResourceValidator() =>
        RuleFor(c => c.Body).Must((command, body) => JsonKeys.HasText(body, CreateResourceValidator.RequiredAttribute(command.Kind)))
            .WithMessage(command => $"'{CreateResourceValidator.RequiredAttribute(command.Kind)}' is required and must be a non-empty string.");
}

public sealed class ReplaceResourceHandler(IResourceStore store, TimeProvider clock) : ICommandHandler<ReplaceResource, ScimResponse>
{
    public async ValueTask<ScimResponse> Handle(ReplaceResource command, CancellationToken cancellationToken)
    {
        var schema = SchemaRegistry.Instance.For(command.Kind);
        var body = ResourceNormalizer.Normalize(schema, command.Body, command.Caller.Dialect);
        IReadOnlyList<MemberChange> memberChanges = command.Kind == ScimResourceKind.Group
            ? [new ReplaceMembers(GroupMembers.Parse(JsonKeys.Get(command.Body, "members")))]
            : [];

        var (outcome, _) = await store.UpdateAsync(
            command.Kind, command.Caller.ConnectionId, command.Id, body, memberChanges, command.ExpectedVersion, clock.GetUtcNow(), cancellationToken);
        switch (outcome)
        {
            case WriteOutcome.NotFound:
                throw ResourceResponses.NotFound(command.Kind, command.Id);
            case WriteOutcome.VersionMismatch:
                throw ScimException.PreconditionFailed("The resource has changed (If-Match does not match).");
            case WriteOutcome.Written:
                break;
        }

        var selection = AttributeSelection.Parse(schema, command.Attributes, command.ExcludedAttributes);
        var record = await ResourceResponses.GetOrThrowAsync(
            store, command.Caller, command.Kind, command.Id, ResourceResponses.NeedsRelations(command.Kind, selection), cancellationToken);
        return ResourceResponses.Build(record, command.Caller, selection);
    }
}
