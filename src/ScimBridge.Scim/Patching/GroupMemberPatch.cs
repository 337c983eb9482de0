using System.Globalization;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Patching;

/// <summary>
/// Separates a Group PATCH into attribute operations (for <see cref="PatchApplier"/>) and membership changes (for the
/// member table), so that adding one member to a 50,000-member group never loads or rewrites the other 49,999.
/// </summary>
public static class GroupMemberPatch
{
    private static readonly AttributeDefinition Members =
        SchemaRegistry.Instance.Group.Resolve(new AttributePath(null, "members", null))!.Attribute;

    public static (IReadOnlyList<PatchOperation> AttributeOperations, IReadOnlyList<MemberChange> MemberChanges) Split(
        IReadOnlyList<PatchOperation> operations, IdpDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(dialect);

        var attributeOperations = new List<PatchOperation>();
        var memberChanges = new List<MemberChange>();
        foreach (var operation in operations)
        {
            ArgumentNullException.ThrowIfNull(operation);
            if (operation.Path is null)
            {
                SplitNoPath(operation, attributeOperations, memberChanges);
                continue;
            }

            var path = PatchPath.Parse(operation.Path);
            if (IsMembers(path.Attribute))
            {
                if (MemberChangeFor(operation, path, dialect) is { } change)
                {
                    memberChanges.Add(change);
                }
            }
            else
            {
                attributeOperations.Add(operation);
            }
        }

        return (attributeOperations, memberChanges);
    }

    /// <summary>
    /// A no-path value may mix members with attributes. Okta's rename <c>{"id":gid,"displayName":…}</c> (O15) has no
    /// members and stays one attribute operation.
    /// </summary>
    private static void SplitNoPath(PatchOperation operation, List<PatchOperation> attributeOperations, List<MemberChange> memberChanges)
    {
        if (operation.Value is not JsonObject value || !value.Any(p => IsMembersKey(p.Key)))
        {
            attributeOperations.Add(operation);
            return;
        }

        var rest = new JsonObject();
        foreach (var (key, item) in value)
        {
            if (IsMembersKey(key))
            {
                var members = GroupMembers.Parse(item);
                if (operation.Op == PatchOperationType.Replace)
                {
                    memberChanges.Add(new ReplaceMembers(members));
                }
                else if (members.Count > 0)
                {
                    memberChanges.Add(new AddMembers(members));
                }
            }
            else
            {
                rest[key] = item?.DeepClone();
            }
        }

        if (rest.Count > 0)
        {
            attributeOperations.Add(operation with { Value = rest });
        }
    }

    private static MemberChange? MemberChangeFor(PatchOperation operation, PatchPath path, IdpDialect dialect)
    {
        var text = operation.Path!;
        if (path.ValueFilter is { } filter)
        {
            FilterEvaluator.Validate(filter, Members, text);
            if (operation.Op != PatchOperationType.Remove || path.SubAttribute is not null)
            {
                // A member has nothing to change but its identity: value, type and $ref are immutable and display
                // is readOnly (RFC 7643 §8.7.1 Group schema).
                throw ScimException.InvalidPath($"Path '{text}': a filtered members path can only be removed.");
            }

            // members[value eq "u1"] (Entra with aadOptscim062020 E22, Okta O16) is the common case: by id.
            return ValuesOf(filter) is { } values ? new RemoveMembers(values) : new RemoveMembersWhere(filter);
        }

        var sub = path.Attribute.SubAttribute ?? path.SubAttribute;
        if (sub is not null && !sub.Equals("value", StringComparison.OrdinalIgnoreCase))
        {
            throw ScimException.InvalidPath($"Path '{text}': only members or members.value can be changed.");
        }

        switch (operation.Op)
        {
            case PatchOperationType.Add:
                var added = GroupMembers.Parse(operation.Value);
                return added.Count > 0 ? new AddMembers(added) : null;
            case PatchOperationType.Replace:
                return new ReplaceMembers(GroupMembers.Parse(operation.Value));
            case PatchOperationType.Remove when !ValueNormalizer.IsEmpty(operation.Value) && dialect.RemoveWithValueRemovesOnlyThoseValues:
                // E22 (see IdpDialect.RemoveWithValueRemovesOnlyThoseValues).
                return new RemoveMembers([.. GroupMembers.Parse(operation.Value).Select(m => m.Value)]);
            case PatchOperationType.Remove when operation.Value is JsonArray { Count: 0 } && dialect.RemoveWithValueRemovesOnlyThoseValues:
                return null;
            default:
                // RFC 7644 §3.5.2.2: remove of a multi-valued attribute without a filter removes every value.
                return new ReplaceMembers([]);
        }
    }

    /// <summary>The member ids of <c>value eq "u1"</c>, or of several such terms joined by <c>or</c>; else null.</summary>
    private static List<string>? ValuesOf(FilterNode filter)
    {
        var values = new List<string>();
        return Collect(filter) ? [.. values.Distinct(StringComparer.Ordinal)] : null;

        bool Collect(FilterNode node)
        {
            switch (node)
            {
                case OrNode or:
                    return Collect(or.Left) && Collect(or.Right);
                case CompareNode { Operator: CompareOperator.Eq, Path: { SchemaUrn: null, SubAttribute: null } path } compare
                    when path.Name.Equals("value", StringComparison.OrdinalIgnoreCase)
                        && compare.Value.Kind is FilterValueKind.String or FilterValueKind.Number:
                    // A member's value is a resource id, and ids are caseExact (RFC 7643 §3.1): an ordinal match.
                    values.Add(compare.Value.Text ?? compare.Value.Number.ToString(CultureInfo.InvariantCulture));
                    return true;
                default:
                    return false;
            }
        }
    }

    private static bool IsMembers(AttributePath path) =>
        path.Name.Equals("members", StringComparison.OrdinalIgnoreCase)
        && (path.SchemaUrn is null || path.SchemaUrn.Equals(ScimConstants.GroupSchema, StringComparison.OrdinalIgnoreCase));

    private static bool IsMembersKey(string key) => AttributePath.Parse(key) is { SubAttribute: null } path && IsMembers(path);
}
