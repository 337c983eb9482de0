using ScimBridge.Core.Connections;
using ScimBridge.Scim.Dialects;

namespace ScimBridge.Core.Resources;

/// <summary>Who is calling: the authenticated connection, its dialect, and the base URL for meta.location.</summary>
public sealed record ScimCaller(IdpConnection Connection, IdpDialect Dialect, string BaseUrl)
{
    public Guid ConnectionId => Connection.Id;
}
