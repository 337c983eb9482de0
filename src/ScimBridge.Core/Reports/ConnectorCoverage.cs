using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Core.Reports;

/// <summary>
/// The coverage table of one target: for each permission-bearing object type the platform has, whether ScimBridge
/// enforces it (the policy manages it and the adapter can change it, in enforce mode), only observes it (the adapter
/// can read it, or the target is observe-only or unmanaged), or cannot see it (the platform has it, the adapter cannot
/// read it). This is where "SCIM alone would have left gaps" shows: SCIM provisions org membership and nothing else.
/// </summary>
public static class ConnectorCoverage
{
    public const string Enforced = "enforced";
    public const string Observed = "observed";
    public const string Invisible = "invisible";

    public static IReadOnlyList<CoverageRow> For(string platform, PlatformCapabilities caps, TargetMode? mode)
    {
        var enforce = mode == TargetMode.Enforce;
        string Govern(bool canRead, bool canChange) => !canRead ? Invisible : enforce && canChange ? Enforced : Observed;
        bool Has(PlatformCapabilities flag) => caps.HasFlag(flag);

        var rows = new List<CoverageRow>
        {
            new("org membership", Govern(Has(PlatformCapabilities.ListAccounts), Has(PlatformCapabilities.InviteAccounts) && Has(PlatformCapabilities.RemoveAccounts))),
        };
        if (PlatformFacts.HasOrganizationRole(platform))
        {
            rows.Add(new("org role", Govern(Has(PlatformCapabilities.ListAccounts), Has(PlatformCapabilities.SetAccountRoles))));
        }

        if (PlatformFacts.ContainerWord(platform) is { } word)
        {
            var readMembers = Has(PlatformCapabilities.ListContainers);
            rows.Add(new($"{word} membership", Govern(readMembers, Has(PlatformCapabilities.GrantMembership) && Has(PlatformCapabilities.RevokeMembership))));

            // A Cursor team has no role of its own: its roles are the organisation's.
            if (word != "team")
            {
                rows.Add(new($"{word} role", Govern(readMembers, Has(PlatformCapabilities.GrantMembership))));
            }
        }

        if (PlatformFacts.HasGroups(platform) || Has(PlatformCapabilities.ListGroups))
        {
            rows.Add(new("group", Govern(Has(PlatformCapabilities.ListGroups), Has(PlatformCapabilities.ManageGroups))));
        }

        // The policy never assigns custom roles, so at best they are observed.
        if (PlatformFacts.HasCustomRoles(platform) || Has(PlatformCapabilities.ListRoles))
        {
            rows.Add(new("custom role", Govern(Has(PlatformCapabilities.ListRoles), canChange: false)));
        }

        if (PlatformFacts.HasServiceAccounts(platform))
        {
            rows.Add(new("service account", Govern(Has(PlatformCapabilities.ListCredentials), canChange: false)));
        }

        // A leaver's keys are deleted or disabled by reconciliation in enforce mode.
        if (PlatformFacts.HasApiKeys(platform) || Has(PlatformCapabilities.ListCredentials))
        {
            rows.Add(new("api key", Govern(
                Has(PlatformCapabilities.ListCredentials),
                Has(PlatformCapabilities.DeleteCredentials) || Has(PlatformCapabilities.DisableCredentials))));
        }

        if (PlatformFacts.HasInvitations(platform) || Has(PlatformCapabilities.ListInvitations))
        {
            rows.Add(new("invitation", Govern(Has(PlatformCapabilities.ListInvitations), Has(PlatformCapabilities.InviteAccounts))));
        }

        // Activity is evidence, never changed: observed where the adapter reads audit logs or usage.
        rows.Add(new("activity", Has(PlatformCapabilities.ListActivity) ? Observed : Invisible));
        return rows;
    }
}
