using System.Collections.Concurrent;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>Keeps two checks of one connection in this process from interleaving their reads, repairs and cursors.</summary>
public sealed class IdpCheckGate
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    public SemaphoreSlim For(string connection) => _gates.GetOrAdd(connection, _ => new SemaphoreSlim(1, 1));
}
