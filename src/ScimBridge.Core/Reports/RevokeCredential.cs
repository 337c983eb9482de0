using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reports;

/// <summary>POST /admin/reports/inventory/revoke and <c>scimbridge keys revoke</c>.</summary>
public sealed record RevokeRequest(string Target, string Kind, string Id, string? Container);

public sealed record RevokeResult(string Target, string Id, string Action);

/// <summary>
/// Revokes one flagged key or service account: deleted where the platform deletes (OpenAI), disabled where it can only
/// disable (Anthropic: status inactive). The credential is found in the target's listing first, so an unknown id is a
/// 404 rather than an idempotent no-op, and the platform's own kind (an OpenAI key may be a service account's) is used.
/// Every attempt, refused or done, is audited.
/// </summary>
public sealed class RevokeCredential(IPlatformRegistry platforms, ICredentialRevocationAudit audit)
{
    public const string Deleted = "deleted";
    public const string Disabled = "disabled";

    public async Task<RevokeResult> RevokeAsync(RevokeRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is not (InventoryTerms.ApiKey or InventoryTerms.ServiceAccount))
        {
            throw new ArgumentException($"kind is {InventoryTerms.ApiKey} or {InventoryTerms.ServiceAccount}; got '{request.Kind}'.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.Target) || string.IsNullOrWhiteSpace(request.Id))
        {
            throw new ArgumentException("target and id are required.", nameof(request));
        }

        var adapter = platforms.Find(request.Target) ?? throw new NotFoundException($"No platform target '{request.Target}'.");
        try
        {
            var result = await RevokeAsync(adapter, request, cancellationToken).ConfigureAwait(false);
            await audit.RecordAsync(new CredentialRevocation(actor, request, result.Action, null), cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is NotFoundException or ConflictException)
        {
            await audit.RecordAsync(new CredentialRevocation(actor, request, null, e.Message), cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<RevokeResult> RevokeAsync(IPlatformAdapter adapter, RevokeRequest request, CancellationToken cancellationToken)
    {
        if (adapter is not ICredentialReader reader || adapter is not (ICredentialDeleter or ICredentialDisabler))
        {
            throw new ConflictException($"Target '{request.Target}' ({adapter.Target.Platform}) cannot revoke credentials through its API.");
        }

        var credential = await FindAsync(reader, request, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"Target '{request.Target}' has no {request.Kind} '{request.Id}'{(request.Container is null ? "" : $" in '{request.Container}'")}.");
        var reference = new CredentialRef(credential.Id, credential.Kind, credential.ContainerId);
        try
        {
            if (adapter is ICredentialDeleter deleter)
            {
                await deleter.DeleteCredentialAsync(reference, cancellationToken).ConfigureAwait(false);
                return new RevokeResult(request.Target, request.Id, Deleted);
            }

            await ((ICredentialDisabler)adapter).DisableCredentialAsync(reference, cancellationToken).ConfigureAwait(false);
            return new RevokeResult(request.Target, request.Id, Disabled);
        }
        catch (PlatformPermanentException e) when (e.Kind == PlatformErrorKind.NotFound)
        {
            throw new NotFoundException(e.Message, e);
        }
        catch (PlatformPermanentException e) when (e.Kind is PlatformErrorKind.NotAllowed or PlatformErrorKind.Validation or PlatformErrorKind.Conflict)
        {
            // e.g. OpenAI refuses to delete a service account's key ("delete the service account instead").
            throw new ConflictException(e.Message, e);
        }
    }

    private static async Task<PlatformCredential?> FindAsync(ICredentialReader reader, RevokeRequest request, CancellationToken cancellationToken)
    {
        await foreach (var credential in Pages.ReadAllAsync(reader.ListCredentialsAsync, cancellationToken).ConfigureAwait(false))
        {
            var kindMatches = request.Kind == InventoryTerms.ServiceAccount
                ? credential.Kind == CredentialKind.ServiceAccount
                : credential.Kind != CredentialKind.ServiceAccount;
            if (kindMatches && credential.Id == request.Id && (request.Container is null || credential.ContainerId == request.Container))
            {
                return credential;
            }
        }

        return null;
    }
}

/// <summary>One revoke attempt: <see cref="Action"/> when done, <see cref="Refusal"/> when not.</summary>
public sealed record CredentialRevocation(string Actor, RevokeRequest Request, string? Action, string? Refusal);

/// <summary>
/// Where revokes are audited; the host's implementation appends to the audit chain (IAuditLog) and logs.
/// </summary>
public interface ICredentialRevocationAudit
{
    Task RecordAsync(CredentialRevocation revocation, CancellationToken cancellationToken);
}
