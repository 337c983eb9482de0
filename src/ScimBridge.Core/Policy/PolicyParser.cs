using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScimBridge.Core.Policy;

/// <summary>The outcome of reading a policy file: the policy, or every problem found with its line and column.</summary>
public sealed record PolicyParseResult(MappingPolicy? Policy, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Policy is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the mapping policy YAML into <see cref="MappingPolicy"/>. Walks YamlDotNet's representation model rather
/// than deserialising into classes, so that every error carries the line and column of the node at fault and all
/// errors are reported at once (an operator fixes a file in one pass, not one error per reload).
/// </summary>
public sealed class PolicyParser
{
    private static readonly string[] RootKeys = ["version", "targets", "rules"];
    private static readonly string[] TargetKeys = ["mode", "unmanagedAccess", "maxRemovalShare", "containers", "roleOrder"];
    private static readonly string[] RoleOrderKeys = ["organization", "container"];
    private static readonly string[] RuleKeys = ["name", "match", "grant"];
    private static readonly string[] MatchKeys = ["connection", "groups", "everyone", "attributes"];
    private static readonly string[] GrantKeys = ["orgRole", "containers", "groups"];
    private static readonly string[] GroupSelectorKeys = ["displayName", "externalId"];

    private readonly List<PolicyError> _errors = [];

    private PolicyParser()
    {
    }

    public static PolicyParseResult Parse(string yaml)
    {
        var parser = new PolicyParser();
        var policy = parser.ParseDocument(yaml);
        return new PolicyParseResult(parser._errors.Count == 0 ? policy : null, parser._errors);
    }

    private MappingPolicy? ParseDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            _errors.Add(new PolicyError(Line(e.Start), Column(e.Start), $"not valid YAML: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _errors.Add(new PolicyError(1, 1, "the policy must be a mapping with 'targets' and 'rules'."));
            return null;
        }

        CheckKeys(root, RootKeys, "the policy");
        if (Child(root, "version") is { } version && Scalar(version, "version") is { } v && v != "1")
        {
            Error(version, $"version {v} is not supported; this ScimBridge reads version 1.");
        }

        var targets = new Dictionary<string, TargetPolicy>(StringComparer.Ordinal);
        if (Child(root, "targets") is { } targetsNode && Mapping(targetsNode, "targets") is { } targetsMap)
        {
            foreach (var (keyNode, valueNode) in targetsMap.Children)
            {
                var name = ((YamlScalarNode)keyNode).Value ?? "";
                if (ParseTarget(name, valueNode) is { } target)
                {
                    targets[name] = target with { Line = Line(keyNode.Start) };
                }
            }
        }
        else if (Child(root, "targets") is null)
        {
            _errors.Add(new PolicyError(1, 1, "'targets' is missing: name each platform target the policy governs."));
        }

        var rules = new List<PolicyRule>();
        if (Child(root, "rules") is { } rulesNode && Sequence(rulesNode, "rules") is { } rulesSeq)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ruleNode in rulesSeq.Children)
            {
                if (ParseRule(ruleNode, targets) is { } rule)
                {
                    if (!names.Add(rule.Name))
                    {
                        Error(ruleNode, $"rule name '{rule.Name}' is used twice; rule names identify rules in previews and reports.");
                    }

                    rules.Add(rule);
                }
            }
        }

        return new MappingPolicy(targets, rules);
    }

    private TargetPolicy? ParseTarget(string name, YamlNode node)
    {
        // An empty target ("openai-main:") is allowed and means all defaults: observe, report.
        if (node is YamlScalarNode { Value: null or "" })
        {
            return new TargetPolicy(name, TargetMode.Observe, UnmanagedAccess.Report, 0.25, [], null);
        }

        if (Mapping(node, $"target '{name}'") is not { } map)
        {
            return null;
        }

        CheckKeys(map, TargetKeys, $"target '{name}'");
        var mode = Child(map, "mode") is { } m ? Enum(m, "mode", TargetMode.Observe) : TargetMode.Observe;
        var unmanaged = Child(map, "unmanagedAccess") is { } u ? Enum(u, "unmanagedAccess", UnmanagedAccess.Report) : UnmanagedAccess.Report;
        var share = 0.25;
        if (Child(map, "maxRemovalShare") is { } s && Scalar(s, "maxRemovalShare") is { } text)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out share) || share is <= 0 or > 1)
            {
                Error(s, $"maxRemovalShare must be a number greater than 0 and at most 1 (a share of the target's members), not '{text}'.");
                share = 0.25;
            }
        }

        var containers = Child(map, "containers") is { } c ? Strings(c, "containers") : [];
        RoleOrder? order = null;
        if (Child(map, "roleOrder") is { } o && Mapping(o, "roleOrder") is { } orderMap)
        {
            CheckKeys(orderMap, RoleOrderKeys, "roleOrder");
            order = new RoleOrder(
                Child(orderMap, "organization") is { } org ? Strings(org, "roleOrder.organization") : [],
                Child(orderMap, "container") is { } con ? Strings(con, "roleOrder.container") : []);
        }

        return new TargetPolicy(name, mode, unmanaged, share, containers, order);
    }

    private PolicyRule? ParseRule(YamlNode node, IReadOnlyDictionary<string, TargetPolicy> targets)
    {
        if (Mapping(node, "a rule") is not { } map)
        {
            return null;
        }

        CheckKeys(map, RuleKeys, "a rule");
        var name = Child(map, "name") is { } n ? Scalar(n, "name") : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            Error(node, "a rule needs a 'name'.");
            name = "";
        }

        RuleMatch? match = null;
        if (Child(map, "match") is { } matchNode)
        {
            match = ParseMatch(matchNode, name);
        }
        else
        {
            Error(node, $"rule '{name}' needs 'match' (groups, everyone, connection, attributes).");
        }

        var grants = new List<TargetGrant>();
        if (Child(map, "grant") is { } grantNode && Mapping(grantNode, $"rule '{name}' grant") is { } grantMap)
        {
            foreach (var (keyNode, valueNode) in grantMap.Children)
            {
                var target = ((YamlScalarNode)keyNode).Value ?? "";
                if (!targets.ContainsKey(target))
                {
                    Error(keyNode, $"rule '{name}' grants on '{target}', which is not under 'targets'" + (targets.Count > 0 ? $" ({string.Join(", ", targets.Keys)})." : "."));
                    continue;
                }

                grants.Add(ParseGrant(target, valueNode, name));
            }
        }
        else if (Child(map, "grant") is null)
        {
            Error(node, $"rule '{name}' needs 'grant': what it gives on which target.");
        }

        return match is null ? null : new PolicyRule(name, match, grants) { Line = Line(node.Start) };
    }

    private RuleMatch? ParseMatch(YamlNode node, string rule)
    {
        if (Mapping(node, $"rule '{rule}' match") is not { } map)
        {
            return null;
        }

        CheckKeys(map, MatchKeys, "match");
        var connection = Child(map, "connection") is { } c ? Scalar(c, "connection") : null;
        var everyone = Child(map, "everyone") is { } e && Bool(e, "everyone");
        var groups = new List<GroupSelector>();
        if (Child(map, "groups") is { } g && Sequence(g, "groups") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                if (item is YamlScalarNode { Value: { Length: > 0 } displayName })
                {
                    groups.Add(new GroupSelector(displayName, null));
                }
                else if (item is YamlMappingNode selector)
                {
                    CheckKeys(selector, GroupSelectorKeys, "a group selector");
                    var byName = Child(selector, "displayName") is { } d ? Scalar(d, "displayName") : null;
                    var byId = Child(selector, "externalId") is { } x ? Scalar(x, "externalId") : null;
                    if ((byName is null) == (byId is null))
                    {
                        Error(item, "a group selector names exactly one of displayName or externalId.");
                    }
                    else
                    {
                        groups.Add(new GroupSelector(byName, byId));
                    }
                }
                else
                {
                    Error(item, "a group is a displayName, or a mapping with displayName or externalId.");
                }
            }
        }

        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Child(map, "attributes") is { } a && Mapping(a, "attributes") is { } attributeMap)
        {
            foreach (var (keyNode, valueNode) in attributeMap.Children)
            {
                if (Scalar(valueNode, $"attribute '{((YamlScalarNode)keyNode).Value}'") is { } value)
                {
                    attributes[((YamlScalarNode)keyNode).Value ?? ""] = value;
                }
            }
        }

        if (groups.Count == 0 && !everyone)
        {
            Error(node, $"rule '{rule}' matches nobody: give 'groups' or 'everyone: true'.");
        }
        else if (groups.Count > 0 && everyone)
        {
            Error(node, $"rule '{rule}' has both 'groups' and 'everyone: true'; choose one.");
        }

        return new RuleMatch(connection, groups, everyone, attributes);
    }

    private TargetGrant ParseGrant(string target, YamlNode node, string rule)
    {
        // "cursor: {}" or "cursor:" grants presence alone (a seat), with the platform's default role.
        if (node is YamlScalarNode { Value: null or "" })
        {
            return new TargetGrant(target, null, new Dictionary<string, string>(), []);
        }

        if (Mapping(node, $"rule '{rule}' grant on '{target}'") is not { } map)
        {
            return new TargetGrant(target, null, new Dictionary<string, string>(), []);
        }

        CheckKeys(map, GrantKeys, $"grant on '{target}'");
        var orgRole = Child(map, "orgRole") is { } r ? Scalar(r, "orgRole") : null;
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(map, "containers") is { } c && Mapping(c, "containers") is { } containerMap)
        {
            foreach (var (keyNode, valueNode) in containerMap.Children)
            {
                var container = ((YamlScalarNode)keyNode).Value ?? "";
                if (Scalar(valueNode, $"the role in container '{container}'") is { Length: > 0 } role)
                {
                    containers[container] = role;
                }
            }
        }

        var groups = Child(map, "groups") is { } g ? Strings(g, "groups") : [];
        return new TargetGrant(target, orgRole, containers, groups);
    }

    private void CheckKeys(YamlMappingNode map, string[] allowed, string where)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, $"unknown key '{(key as YamlScalarNode)?.Value}' in {where}; expected {string.Join(", ", allowed)}.");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{what} must be a mapping (key: value lines).");
        return null;
    }

    private YamlSequenceNode? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Error(node, $"{what} must be a list (lines starting with '- ').");
        return null;
    }

    private string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(node, $"{what} must be a single value.");
        return null;
    }

    private List<string> Strings(YamlNode node, string what)
    {
        var values = new List<string>();
        if (Sequence(node, what) is { } seq)
        {
            foreach (var item in seq.Children)
            {
                if (Scalar(item, $"an item of {what}") is { Length: > 0 } value)
                {
                    values.Add(value);
                }
            }
        }

        return values;
    }

    private bool Bool(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(node, $"{what} must be true or false, not '{text}'.");
        return false;
    }

    private TEnum Enum<TEnum>(YamlNode node, string what, TEnum fallback)
        where TEnum : struct, Enum
    {
        var text = Scalar(node, what);
        if (text is not null && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _))
        {
            return value;
        }

        Error(node, $"{what} must be one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");
        return fallback;
    }

    private void Error(YamlNode node, string message) => _errors.Add(new PolicyError(Line(node.Start), Column(node.Start), message));

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;
}
