using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>POST /Users or /Groups (RFC 7644 §3.3).</summary>
public sealed record CreateResource(ScimCaller Caller, ScimResourceKind Kind, JsonObject Body, string? Attributes, string? ExcludedAttributes)
    : ICommand<ScimResponse>;

public sealed class CreateResourceValidator : AbstractValidator<CreateResource>
{
    public CreateResourceValidator() =>
        RuleFor(c => c.Body).Must((command, body) => JsonKeys.HasText(body, RequiredAttribute(command.Kind)))
            .WithMessage(command => $"'{RequiredAttribute(command.Kind)}' is required and must be a non-empty string.");

    internal static string RequiredAttribute(ScimResourceKind kind) => kind == ScimResourceKind.User ? "userName" : "displayName";
}

public sealed class CreateResourceHandler(IResourceStore store, TimeProvider clock) : ICommandHandler<CreateResource, ScimResponse>
{
    public async ValueTask<ScimResponse> Handle(CreateResource command, CancellationToken cancellationToken)
    {
        var schema = SchemaRegistry.Instance.For(command.Kind);
        var body = ResourceNormalizer.Normalize(schema, command.Body, command.Caller.Dialect);
        var members = command.Kind == ScimResourceKind.Group ? GroupMembers.Parse(JsonKeys.Get(command.Body, "members")) : null;
        var now = clock.GetUtcNow();
        var record = new ResourceRecord(command.Kind, Guid.CreateVersion7().ToString(), command.Caller.ConnectionId, body, 1, now, now);
        await store.CreateAsync(record, members, cancellationToken);

        var selection = AttributeSelection.Parse(schema, command.Attributes, command.ExcludedAttributes);
        if (members is { Count: > 0 })
        {
            // Re-read so members carry their display names and types as stored.
            record = await store.GetAsync(command.Kind, command.Caller.ConnectionId, record.Id, includeRelations: true, cancellationToken)
                ?? record;
        }
        else if (command.Kind == ScimResourceKind.Group)
        {
            record = record with { Members = [] };
        }

        return ResourceResponses.Build(record, command.Caller, selection);
    }
}
