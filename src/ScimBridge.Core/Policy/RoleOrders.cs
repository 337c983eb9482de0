namespace ScimBridge.Core.Policy;

/// <summary>
/// Each platform's roles, lowest first, used when a target's policy does not set <c>roleOrder</c>. Sources:
/// OpenAI Admin API (org role reader|owner; project role member|owner), Anthropic Admin API (OrganizationRole;
/// workspace_role values), ../shared/docs/platforms.md §1–3. Cursor's Admin API cannot set roles, so it has none.
/// </summary>
public static class RoleOrders
{
    private static readonly Dictionary<string, RoleOrder> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = new(["reader", "owner"], ["member", "owner"]),
        ["anthropic"] = new(
            ["user", "claude_code_user", "managed", "developer", "billing", "admin"],
            ["workspace_user", "workspace_restricted_developer", "workspace_developer", "workspace_billing", "workspace_admin"]),
        ["cursor"] = new([], []),
        ["scim"] = new([], []),
    };

    public static RoleOrder For(string platform, RoleOrder? overridden) =>
        overridden ?? Defaults.GetValueOrDefault(platform) ?? new RoleOrder([], []);

    /// <summary>The higher of two roles by <paramref name="order"/>; unknown roles rank lowest, ties keep the first.</summary>
    public static string Higher(IReadOnlyList<string> order, string current, string candidate)
    {
        var a = IndexOf(order, current);
        var b = IndexOf(order, candidate);
        return b > a ? candidate : current;
    }

    private static int IndexOf(IReadOnlyList<string> order, string role)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (string.Equals(order[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
