namespace ScimBridge.Core.Policy;

/// <summary>The policy in force, or why there is none: the last file that loaded cleanly stays in force until a fixed one replaces it.</summary>
public sealed record PolicySnapshot(MappingPolicy? Policy, IReadOnlyList<PolicyError> Errors, string? Source, DateTimeOffset? LoadedAt);

/// <summary>Supplies the current mapping policy (hot-reloaded from its file by the host).</summary>
public interface IPolicyProvider
{
    PolicySnapshot Current { get; }
}
