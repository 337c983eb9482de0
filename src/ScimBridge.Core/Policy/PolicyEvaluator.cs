using System.Text.Json.Nodes;

namespace ScimBridge.Core.Policy;

/// <summary>A group the identity belongs to, as the IdP sent it.</summary>
public sealed record IdentityGroup(string Id, string? DisplayName, string? ExternalId);

/// <summary>What the policy looks at: one SCIM user of one IdP connection, with its groups.</summary>
public sealed record PolicyIdentity(
    string UserId,
    string ConnectionName,
    string UserName,
    bool Active,
    JsonObject Body,
    IReadOnlyList<IdentityGroup> Groups);

/// <summary>Why an identity gets something: the rule, the group that matched it (if any) and what it granted.</summary>
public sealed record AccessReason(string Rule, string? Group, string Grant);

/// <summary>The access one identity should have on one target, and why.</summary>
public sealed record DesiredAccess(
    string Target,
    string? OrganizationRole,
    IReadOnlyDictionary<string, string> Containers,
    IReadOnlyList<string> Groups,
    IReadOnlyList<AccessReason> Reasons);

/// <summary>
/// Desired state as a pure function of the policy and one identity: which targets it should be on, with which
/// organisation role, in which containers with which role, in which platform groups, and the reasons. Overlapping
/// rules merge and the highest role wins (by the target's role order). A deactivated identity is a leaver and gets
/// nothing, whatever the rules say.
/// </summary>
public sealed class PolicyEvaluator(MappingPolicy policy, IReadOnlyDictionary<string, string> targetPlatforms)
{
    private const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public MappingPolicy Policy { get; } = policy;

    public IReadOnlyDictionary<string, DesiredAccess> Evaluate(PolicyIdentity identity)
    {
        var result = new Dictionary<string, Builder>(StringComparer.Ordinal);
        if (!identity.Active)
        {
            return new Dictionary<string, DesiredAccess>();
        }

        foreach (var rule in Policy.Rules)
        {
            if (Matches(rule.Match, identity) is not { Matched: true } match)
            {
                continue;
            }

            foreach (var grant in rule.Grants)
            {
                if (!result.TryGetValue(grant.Target, out var builder))
                {
                    var platform = targetPlatforms.GetValueOrDefault(grant.Target) ?? "";
                    builder = new Builder(grant.Target, RoleOrders.For(platform, Policy.Targets.GetValueOrDefault(grant.Target)?.RoleOrder));
                    result[grant.Target] = builder;
                }

                builder.Add(rule.Name, match.Group, grant);
            }
        }

        return result.ToDictionary(p => p.Key, p => p.Value.Build(), StringComparer.Ordinal);
    }

    private static (bool Matched, string? Group) Matches(RuleMatch match, PolicyIdentity identity)
    {
        if (match.Connection is not null && !string.Equals(match.Connection, identity.ConnectionName, StringComparison.Ordinal))
        {
            return (false, null);
        }

        foreach (var (path, expected) in match.Attributes)
        {
            if (!string.Equals(Attribute(identity, path), expected, StringComparison.OrdinalIgnoreCase))
            {
                return (false, null);
            }
        }

        if (match.Everyone)
        {
            return (true, null);
        }

        foreach (var selector in match.Groups)
        {
            foreach (var group in identity.Groups)
            {
                var hit = selector.DisplayName is not null
                    ? string.Equals(selector.DisplayName, group.DisplayName, StringComparison.OrdinalIgnoreCase)
                    : string.Equals(selector.ExternalId, group.ExternalId, StringComparison.Ordinal);
                if (hit)
                {
                    return (true, group.DisplayName ?? group.ExternalId ?? group.Id);
                }
            }
        }

        return (false, null);
    }

    // "department" finds the core attribute or, failing that, the enterprise extension's (where Entra and Okta put it);
    // a full URN path addresses the extension directly; "name.givenName" walks sub-attributes.
    private static string? Attribute(PolicyIdentity identity, string path)
    {
        if (string.Equals(path, "active", StringComparison.OrdinalIgnoreCase))
        {
            return identity.Active ? "true" : "false";
        }

        JsonNode? node = identity.Body;
        var rest = path;
        if (path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            var split = path.LastIndexOf(':');
            node = Get(identity.Body, path[..split]);
            rest = path[(split + 1)..];
        }

        var value = Walk(node, rest);
        if (value is null && !path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            value = Walk(Get(identity.Body, EnterpriseUser), rest);
        }

        return value switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };
    }

    private static JsonNode? Walk(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = Get(node as JsonObject, segment);
        }

        return node;
    }

    private static JsonNode? Get(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return null;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private sealed class Builder(string target, RoleOrder order)
    {
        private readonly Dictionary<string, string> _containers = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _groups = new(StringComparer.Ordinal);
        private readonly List<AccessReason> _reasons = [];
        private string? _orgRole;

        public void Add(string rule, string? group, TargetGrant grant)
        {
            _reasons.Add(new AccessReason(rule, group, "access"));
            if (grant.OrganizationRole is { } role)
            {
                _orgRole = _orgRole is null ? role : RoleOrders.Higher(order.Organization, _orgRole, role);
                _reasons.Add(new AccessReason(rule, group, $"orgRole {role}"));
            }

            foreach (var (container, containerRole) in grant.Containers)
            {
                _containers[container] = _containers.TryGetValue(container, out var current)
                    ? RoleOrders.Higher(order.Container, current, containerRole)
                    : containerRole;
                _reasons.Add(new AccessReason(rule, group, $"container {container}: {containerRole}"));
            }

            foreach (var platformGroup in grant.Groups)
            {
                _groups.Add(platformGroup);
                _reasons.Add(new AccessReason(rule, group, $"group {platformGroup}"));
            }
        }

        public DesiredAccess Build() => new(target, _orgRole, _containers, [.. _groups], _reasons);
    }
}
