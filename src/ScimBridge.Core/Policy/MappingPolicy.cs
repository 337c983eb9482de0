namespace ScimBridge.Core.Policy;

/// <summary>
/// The mapping policy: which IdP identities get what on which platform target. Loaded from YAML
/// (<see cref="PolicyParser"/>); desired state is a pure function of it and the SCIM store (<see cref="PolicyEvaluator"/>).
/// </summary>
public sealed record MappingPolicy(IReadOnlyDictionary<string, TargetPolicy> Targets, IReadOnlyList<PolicyRule> Rules);

public enum TargetMode
{
    /// <summary>Report only: compute the plan, change nothing. Every new target starts here.</summary>
    Observe,

    /// <summary>Apply the plan for identities the policy manages.</summary>
    Enforce,
}

public enum UnmanagedAccess
{
    /// <summary>Access no rule grants is reported as drift and left alone.</summary>
    Report,

    /// <summary>Access no rule grants is removed (in enforce mode).</summary>
    Remove,
}

/// <summary>How the policy treats one platform target (a Platforms:Targets name).</summary>
public sealed record TargetPolicy(
    string Name,
    TargetMode Mode,
    UnmanagedAccess Unmanaged,
    double MaxRemovalShare,
    IReadOnlyList<string> Containers,
    RoleOrder? RoleOrder)
{
    /// <summary>Where this target was declared in the file, for messages.</summary>
    public int Line { get; init; }
}

/// <summary>Role precedence, lowest first, so "the highest role wins" when rules overlap.</summary>
public sealed record RoleOrder(IReadOnlyList<string> Organization, IReadOnlyList<string> Container);

public sealed record PolicyRule(string Name, RuleMatch Match, IReadOnlyList<TargetGrant> Grants)
{
    public int Line { get; init; }
}

/// <summary>A group selector: by displayName or by externalId (as the IdP sent them).</summary>
public sealed record GroupSelector(string? DisplayName, string? ExternalId)
{
    public override string ToString() => DisplayName is not null ? DisplayName : $"externalId {ExternalId}";
}

/// <summary>
/// Who a rule applies to: identities of <see cref="Connection"/> (any when null) that are members of any of
/// <see cref="Groups"/> (or every assigned identity when <see cref="Everyone"/>), and whose attributes equal
/// <see cref="Attributes"/> (all of them; SCIM attribute paths such as department or
/// urn:…:enterprise:2.0:User:department).
/// </summary>
public sealed record RuleMatch(string? Connection, IReadOnlyList<GroupSelector> Groups, bool Everyone, IReadOnlyDictionary<string, string> Attributes);

/// <summary>What a rule grants on one target.</summary>
public sealed record TargetGrant(
    string Target,
    string? OrganizationRole,
    IReadOnlyDictionary<string, string> Containers,
    IReadOnlyList<string> Groups);

/// <summary>A problem in the policy file, with where it is.</summary>
public sealed record PolicyError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}
