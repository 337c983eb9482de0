namespace ScimBridge.Core.Platforms;

/// <summary>What an adapter can do, read off the interfaces it implements (never declared separately, so never wrong).</summary>
[Flags]
public enum PlatformCapabilities
{
    None = 0,
    ListAccounts = 1 << 0,
    ListContainers = 1 << 1,
    ListGroups = 1 << 2,
    ListRoles = 1 << 3,
    ListCredentials = 1 << 4,
    ListInvitations = 1 << 5,
    ListActivity = 1 << 6,
    InviteAccounts = 1 << 7,
    RemoveAccounts = 1 << 8,
    SetAccountRoles = 1 << 9,
    GrantMembership = 1 << 10,
    RevokeMembership = 1 << 11,
    ManageContainers = 1 << 12,
    ManageGroups = 1 << 13,
    ManageRoleAssignments = 1 << 14,
    DisableCredentials = 1 << 15,
    DeleteCredentials = 1 << 16,
    RenameCredentials = 1 << 17,
    IssueCredentials = 1 << 18,
    LookUpAccounts = 1 << 19,
    LookUpMemberships = 1 << 20,
}

public static class PlatformCapabilitiesExtensions
{
    public static PlatformCapabilities Capabilities(this IPlatformAdapter adapter)
    {
        var caps = PlatformCapabilities.ListAccounts;
        caps |= adapter is IContainerReader ? PlatformCapabilities.ListContainers : 0;
        caps |= adapter is IGroupReader ? PlatformCapabilities.ListGroups : 0;
        caps |= adapter is IRoleReader ? PlatformCapabilities.ListRoles : 0;
        caps |= adapter is ICredentialReader ? PlatformCapabilities.ListCredentials : 0;
        caps |= adapter is IInvitationReader ? PlatformCapabilities.ListInvitations : 0;
        caps |= adapter is IActivityReader ? PlatformCapabilities.ListActivity : 0;
        caps |= adapter is IAccountInviter ? PlatformCapabilities.InviteAccounts : 0;
        caps |= adapter is IAccountRemover ? PlatformCapabilities.RemoveAccounts : 0;
        caps |= adapter is IAccountRoleManager ? PlatformCapabilities.SetAccountRoles : 0;
        caps |= adapter is IMembershipGranter ? PlatformCapabilities.GrantMembership : 0;
        caps |= adapter is IMembershipRevoker ? PlatformCapabilities.RevokeMembership : 0;
        caps |= adapter is IContainerManager ? PlatformCapabilities.ManageContainers : 0;
        caps |= adapter is IGroupManager ? PlatformCapabilities.ManageGroups : 0;
        caps |= adapter is IRoleAssignmentManager ? PlatformCapabilities.ManageRoleAssignments : 0;
        caps |= adapter is ICredentialDisabler ? PlatformCapabilities.DisableCredentials : 0;
        caps |= adapter is ICredentialDeleter ? PlatformCapabilities.DeleteCredentials : 0;
        caps |= adapter is ICredentialRenamer ? PlatformCapabilities.RenameCredentials : 0;
        caps |= adapter is ICredentialIssuer ? PlatformCapabilities.IssueCredentials : 0;
        caps |= adapter is IAccountLookup ? PlatformCapabilities.LookUpAccounts : 0;
        caps |= adapter is IMembershipLookup ? PlatformCapabilities.LookUpMemberships : 0;
        return caps;
    }
}

/// <summary>The configured platform targets, by name. Built once at start from the Platforms configuration.</summary>
public interface IPlatformRegistry
{
    IReadOnlyList<IPlatformAdapter> Adapters { get; }

    /// <summary>The adapter of a target, or null when no target has that name.</summary>
    IPlatformAdapter? Find(string targetName);
}
