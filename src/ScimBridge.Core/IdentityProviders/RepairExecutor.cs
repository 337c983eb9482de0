using System.Text.Json.Nodes;
using Mediator;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Resources;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>
/// Applies a repair plan through the SCIM store's own use cases (CreateResource, PatchResource), so each change is
/// validated, versioned and queued for propagation in the outbox exactly as the same SCIM request from the IdP would
/// be. It writes as the connection itself with the Generic (plain RFC 7644) dialect. A failed step is recorded and the
/// rest go on; a step that needs an earlier one (a membership of a user whose creation failed) fails with that reason.
/// </summary>
public sealed class RepairExecutor(IMediator mediator)
{
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    public async Task<IReadOnlyList<RepairOutcome>> ApplyAsync(IdpConnection connection, RepairPlan plan, IdpView idp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(idp);
        var caller = new ScimCaller(connection, IdpDialect.Generic, "");
        var createdUsers = new Dictionary<string, string>(StringComparer.Ordinal);
        var createdGroups = new Dictionary<string, string>(StringComparer.Ordinal);
        var outcomes = new List<RepairOutcome>(plan.Steps.Count);
        foreach (var step in plan.Steps)
        {
            var finding = step.Finding;
            try
            {
                switch (step.Action)
                {
                    case RepairAction.CreateUser:
                        var user = idp.Users[finding.IdpUserId!];
                        var body = new JsonObject
                        {
                            ["schemas"] = new JsonArray(UserSchema),
                            ["userName"] = user.UserName,
                            ["externalId"] = user.Id,
                            ["active"] = user.Enabled,
                        };
                        if (user.DisplayName is not null)
                        {
                            body["displayName"] = user.DisplayName;
                        }

                        createdUsers[user.Id] = await CreateAsync(caller, ScimResourceKind.User, body, cancellationToken);
                        break;
                    case RepairAction.CreateGroup:
                        var group = idp.Groups[finding.IdpGroupId!];
                        createdGroups[group.Id] = await CreateAsync(
                            caller,
                            ScimResourceKind.Group,
                            new JsonObject { ["schemas"] = new JsonArray(GroupSchema), ["displayName"] = group.DisplayName, ["externalId"] = group.Id },
                            cancellationToken);
                        break;
                    case RepairAction.AddMember:
                        var groupId = finding.ScimGroupId ?? createdGroups.GetValueOrDefault(finding.IdpGroupId!)
                            ?? throw new InvalidOperationException("The group was not created.");
                        var userId = finding.ScimUserId ?? createdUsers.GetValueOrDefault(finding.IdpUserId!)
                            ?? throw new InvalidOperationException("The user was not created.");
                        await PatchAsync(caller, ScimResourceKind.Group, groupId, new JsonObject
                        {
                            ["op"] = "add",
                            ["path"] = "members",
                            ["value"] = new JsonArray(new JsonObject { ["value"] = userId }),
                        }, cancellationToken);
                        break;
                    case RepairAction.RemoveMember:
                        await PatchAsync(caller, ScimResourceKind.Group, finding.ScimGroupId!, new JsonObject
                        {
                            ["op"] = "remove",
                            ["path"] = $"members[value eq \"{finding.ScimUserId}\"]",
                        }, cancellationToken);
                        break;
                    case RepairAction.DeactivateUser:
                        await PatchAsync(caller, ScimResourceKind.User, finding.ScimUserId!, new JsonObject
                        {
                            ["op"] = "replace",
                            ["path"] = "active",
                            ["value"] = false,
                        }, cancellationToken);
                        break;
                }

                outcomes.Add(new RepairOutcome(step.Action, finding, "applied"));
            }
            catch (Exception e) when (e is ScimException or InvalidOperationException or KeyNotFoundException or FluentValidation.ValidationException)
            {
                outcomes.Add(new RepairOutcome(step.Action, finding, "failed", e.Message));
            }
        }

        return outcomes;
    }

    private async Task<string> CreateAsync(ScimCaller caller, ScimResourceKind kind, JsonObject body, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateResource(caller, kind, body, "id", null), cancellationToken).ConfigureAwait(false);
        return (string)created.Body!["id"]!;
    }

    private async Task PatchAsync(ScimCaller caller, ScimResourceKind kind, string id, JsonObject operation, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["schemas"] = new JsonArray(PatchSchema), ["Operations"] = new JsonArray(operation) };
        await mediator.Send(new PatchResource(caller, kind, id, patch, null, false, null, null), cancellationToken).ConfigureAwait(false);
    }
}
