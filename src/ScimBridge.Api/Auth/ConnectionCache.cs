using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Connections;

namespace ScimBridge.Api.Auth;

/// <summary>
/// Resolves a bearer secret to its connection through the stored SHA-256 hash, caching hits briefly so a request
/// costs one hash and one dictionary lookup. A rotated secret stops working within SecretCacheSeconds.
/// </summary>
public sealed class ConnectionCache(IConnectionStore store, TimeProvider clock, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, (IdpConnection Connection, DateTimeOffset Expires)> _bySecretHash = new(StringComparer.Ordinal);

    public async ValueTask<IdpConnection?> FindBySecretAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ConnectionSecret.Hash(secret);
        var key = Convert.ToHexString(hash);
        var now = clock.GetUtcNow();
        if (_bySecretHash.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Connection;
        }

        var connection = await store.FindBySecretHashAsync(hash, cancellationToken);
        if (connection is null)
        {
            _bySecretHash.TryRemove(key, out _);
            return null;
        }

        _bySecretHash[key] = (connection, now.AddSeconds(options.Value.SecretCacheSeconds));
        return connection;
    }
}
