using System.Runtime.CompilerServices;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Reports;

/// <summary>
/// Every IdP identity by the emails the platforms know it by, for attributing platform objects and events. Where two
/// identities share an email (two connections), the active one wins: a key is orphaned only when no active owner exists.
/// </summary>
public sealed class IdentityIndex
{
    private readonly Dictionary<string, IdentityRef> _byEmail = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _byEmail.Count;

    public void Add(IdentityRef identity, IEnumerable<string> emails)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(emails);
        foreach (var email in emails)
        {
            if (!_byEmail.TryGetValue(email, out var current) || (!current.Active && identity.Active))
            {
                _byEmail[email] = identity;
            }
        }
    }

    public IdentityRef? Find(string? email) => email is not null && _byEmail.TryGetValue(email.Trim(), out var identity) ? identity : null;

    /// <summary>Reads every identity of every connection, keeping only who it is (no SCIM body).</summary>
    public static async Task<IdentityIndex> LoadAsync(IdentitySource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var index = new IdentityIndex();
        await foreach (var identity in Slim(source, cancellationToken).ConfigureAwait(false))
        {
            index.Add(new IdentityRef(identity.Identity.ConnectionName, identity.Identity.UserName, identity.Identity.Active), identity.Emails);
        }

        return index;
    }

    private static async IAsyncEnumerable<SourcedIdentity> Slim(IdentitySource source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var identity in source.ListAsync([], cancellationToken).ConfigureAwait(false))
        {
            yield return identity;
        }
    }
}
