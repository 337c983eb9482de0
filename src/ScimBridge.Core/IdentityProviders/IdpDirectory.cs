using ScimBridge.Core.Connections;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>A user the IdP puts in the app's scope (assigned directly or through an assigned group), with its state.</summary>
/// <param name="Id">The IdP's object id (Entra objectId, Okta user id).</param>
/// <param name="UserName">What the IdP sends as SCIM userName by default (Entra userPrincipalName, Okta login).</param>
/// <param name="Enabled">Entra accountEnabled; Okta status other than SUSPENDED or DEPROVISIONED.</param>
/// <param name="DisplayName">The IdP's display name, used when a repair creates the user.</param>
public sealed record IdpUser(string Id, string UserName, bool Enabled, string? DisplayName = null);

/// <summary>A group assigned to the app, with the ids of its user members as the IdP provisions them.</summary>
public sealed record IdpGroup(string Id, string DisplayName, IReadOnlyList<string> MemberIds);

/// <summary>What the IdP says the app should have: its in-scope users (with state) and its assigned groups.</summary>
public sealed record IdpView(IReadOnlyDictionary<string, IdpUser> Users, IReadOnlyDictionary<string, IdpGroup> Groups)
{
    public static IdpView Empty { get; } = new(new Dictionary<string, IdpUser>(), new Dictionary<string, IdpGroup>());

    public bool IsEmpty => Users.Count == 0 && Groups.Count == 0;
}

/// <summary>How a read went: requests sent, pages read, throttled answers waited out, and whether it was incremental.</summary>
public sealed record IdpReadStats(int Requests, int Pages, int Throttled, bool Incremental);

/// <summary>
/// A read of the IdP. <see cref="Cursor"/> is opaque to everything but the directory that wrote it (Graph deltaLinks,
/// for Entra); the caller stores it with <see cref="View"/> and hands both back on the next read.
/// </summary>
public sealed record IdpReadResult(IdpView View, string? Cursor, IdpReadStats Stats);

/// <summary>
/// Read access to one IdP connection's app: what it assigns and the state of those users. A directory that supports
/// incremental reads uses the previous view and cursor to read only what changed since;
/// one that cannot (Okta) reads everything and ignores them. Throws <see cref="IdpReadException"/> when the IdP
/// cannot be read completely: a partial view must never be compared, since what it misses would look unassigned.
/// </summary>
public interface IIdpDirectory
{
    string ConnectionName { get; }

    IdpKind Kind { get; }

    Task<IdpReadResult> ReadAsync(IdpView? previous, string? cursor, CancellationToken cancellationToken);
}

/// <summary>The IdP could not be read completely (authentication, permissions, throttling beyond patience, an outage).</summary>
public sealed class IdpReadException : Exception
{
    public IdpReadException()
    {
    }

    public IdpReadException(string message)
        : base(message)
    {
    }

    public IdpReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The stored cursor is no longer accepted (Graph answers 410 Gone for an expired deltaLink): read in full.</summary>
    public bool CursorExpired { get; init; }
}

/// <summary>What an operator decided a connection's check may do.</summary>
public enum RepairMode
{
    /// <summary>Report the disagreements only.</summary>
    None,

    /// <summary>Report them and the repair that would treat the IdP as truth, without applying it.</summary>
    Report,

    /// <summary>Apply that repair through the SCIM use cases.</summary>
    Apply,
}

/// <summary>One configured IdP check: the SCIM connection it compares (by name), its repair mode and its directory.</summary>
public sealed record IdpCheckConnection(string Name, IdpKind Kind, RepairMode Repair, TimeSpan? Schedule, IIdpDirectory Directory);

/// <summary>The configured IdP checks, by connection name.</summary>
public interface IIdpCheckRegistry
{
    IReadOnlyList<IdpCheckConnection> Connections { get; }

    IdpCheckConnection? Find(string name);
}
