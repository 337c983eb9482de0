using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reconciliation;

public enum StepResult
{
    Applied,
    AlreadyInState,

    /// <summary>Worth retrying later (rate limit, outage); <see cref="StepOutcome.RetryAfter"/> may say when.</summary>
    Transient,

    /// <summary>The platform refused for good (validation, not allowed); retrying will not help.</summary>
    Failed,

    /// <summary>The adapter lacks the capability, or the step lacks what it needs.</summary>
    Unsupported,
}

public sealed record StepOutcome(PlanStep Step, StepResult Result, string? Detail, TimeSpan? RetryAfter = null)
{
    /// <summary>The id of what the step created (a container, an invitation).</summary>
    public string? CreatedId { get; init; }
}

/// <summary>
/// Applies one plan step through the target's adapter and turns every result into a <see cref="StepOutcome"/>: the
/// platform's errors become Transient or Failed, never exceptions, so a run records every step's fate. Steps are
/// idempotent because the adapters are; the executor adds nothing that would make a repeat unsafe.
/// </summary>
public static class StepExecutor
{
    public static async Task<StepOutcome> ApplyAsync(IPlatformAdapter adapter, PlanStep step, CancellationToken cancellationToken)
    {
        try
        {
            return step.Kind switch
            {
                StepKind.InviteAccount when adapter is IAccountInviter inviter => await InviteAsync(inviter, step, cancellationToken).ConfigureAwait(false),
                StepKind.CancelInvitation when adapter is IAccountInviter inviter && step.InvitationId is { } invitation =>
                    Done(step, await inviter.CancelInvitationAsync(invitation, cancellationToken).ConfigureAwait(false)),
                StepKind.RemoveAccount when adapter is IAccountRemover remover && step.AccountId is { } account =>
                    Done(step, await remover.RemoveAccountAsync(account, cancellationToken).ConfigureAwait(false)),
                StepKind.SetOrganizationRole when adapter is IAccountRoleManager roles && step is { AccountId: { } account, Role: { } role } =>
                    Done(step, await roles.SetAccountRoleAsync(account, role, cancellationToken).ConfigureAwait(false)),
                StepKind.CreateContainer when adapter is IContainerManager manager && step.ContainerName is { } name =>
                    await CreateContainerAsync(adapter, manager, step, name, cancellationToken).ConfigureAwait(false),
                StepKind.GrantMembership when adapter is IMembershipGranter granter && step is { AccountId: { } account, Role: { } role } =>
                    await ResolveContainerAsync(adapter, step, cancellationToken).ConfigureAwait(false) is { } container
                        ? Done(step, await granter.GrantMembershipAsync(container, account, role, cancellationToken).ConfigureAwait(false))
                        : new StepOutcome(step, StepResult.Transient, $"container '{step.ContainerName}' does not exist yet"),
                StepKind.RevokeMembership when adapter is IMembershipRevoker revoker && step is { AccountId: { } account, ContainerId: { } container } =>
                    Done(step, await revoker.RevokeMembershipAsync(container, account, cancellationToken).ConfigureAwait(false)),
                StepKind.AddGroupMember when adapter is IGroupManager groups && step is { AccountId: { } account, GroupId: { } group } =>
                    Done(step, await groups.AddGroupMemberAsync(group, account, cancellationToken).ConfigureAwait(false)),
                StepKind.RemoveGroupMember when adapter is IGroupManager groups && step is { AccountId: { } account, GroupId: { } group } =>
                    Done(step, await groups.RemoveGroupMemberAsync(group, account, cancellationToken).ConfigureAwait(false)),
                StepKind.DeleteCredential when adapter is ICredentialDeleter deleter && step.Credential is { } credential =>
                    Done(step, await deleter.DeleteCredentialAsync(credential, cancellationToken).ConfigureAwait(false)),
                StepKind.DisableCredential when adapter is ICredentialDisabler disabler && step.Credential is { } credential =>
                    Done(step, await disabler.DisableCredentialAsync(credential, cancellationToken).ConfigureAwait(false)),
                _ => new StepOutcome(step, StepResult.Unsupported, $"{adapter.Target.Name} cannot {step.Kind} (missing capability or step data)"),
            };
        }
        catch (PlatformTransientException e)
        {
            return new StepOutcome(step, StepResult.Transient, e.Message, e.RetryAfter);
        }
        catch (PlatformPermanentException e)
        {
            return new StepOutcome(step, StepResult.Failed, e.Message);
        }
    }

    private static StepOutcome Done(PlanStep step, ChangeResult result) =>
        new(step, result.Outcome == ChangeOutcome.Applied ? StepResult.Applied : StepResult.AlreadyInState, null);

    private static async Task<StepOutcome> InviteAsync(IAccountInviter inviter, PlanStep step, CancellationToken cancellationToken)
    {
        if (step.Email is null)
        {
            return new StepOutcome(step, StepResult.Unsupported, "an invitation needs an email");
        }

        var result = await inviter.InviteAsync(new AccountInvitation(step.Email, null, step.Role ?? "", step.Containers), cancellationToken).ConfigureAwait(false);
        var outcome = result.Outcome is InviteOutcome.Invited or InviteOutcome.Created ? StepResult.Applied : StepResult.AlreadyInState;
        return new StepOutcome(step, outcome, result.Outcome.ToString()) { CreatedId = result.Id };
    }

    private static async Task<StepOutcome> CreateContainerAsync(IPlatformAdapter adapter, IContainerManager manager, PlanStep step, string name, CancellationToken cancellationToken)
    {
        // Creating is not idempotent on any platform (two "research" projects are allowed): look first.
        if (await FindContainerAsync(adapter, name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new StepOutcome(step, StepResult.AlreadyInState, null) { CreatedId = existing };
        }

        var created = await manager.CreateContainerAsync(name, cancellationToken).ConfigureAwait(false);
        return new StepOutcome(step, StepResult.Applied, null) { CreatedId = created.Id };
    }

    private static async Task<string?> ResolveContainerAsync(IPlatformAdapter adapter, PlanStep step, CancellationToken cancellationToken) =>
        step.ContainerId ?? (step.ContainerName is { } name ? await FindContainerAsync(adapter, name, cancellationToken).ConfigureAwait(false) : null);

    private static async Task<string?> FindContainerAsync(IPlatformAdapter adapter, string name, CancellationToken cancellationToken)
    {
        if (adapter is not IContainerReader reader)
        {
            return null;
        }

        await foreach (var container in Pages.ReadAllAsync(reader.ListContainersAsync, cancellationToken).ConfigureAwait(false))
        {
            if (!container.Archived && string.Equals(container.Name, name, StringComparison.Ordinal))
            {
                return container.Id;
            }
        }

        return null;
    }
}
