namespace ScimBridge.Core.Connections;

/// <summary>The IdP that provisions through a connection; it selects the request dialect (see IdpDialect).</summary>
public enum IdpKind
{
    Generic,
    Entra,
    Okta,
}

/// <summary>
/// One IdP tenant or org pushing to ScimBridge. Users and groups are partitioned by connection: every store
/// call takes the connection id, so one connection can never read or change another's resources.
/// </summary>
public sealed record IdpConnection(Guid Id, string Name, IdpKind Kind, string? JwtSubject, DateTimeOffset Created);
