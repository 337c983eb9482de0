using System.Text;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Tests.Contract;
using ScimBridge.Simulators.Anthropic;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>The Anthropic simulator on loopback, seeded with a small Console organisation in the Admin API's wire format.</summary>
public sealed class AnthropicHarness : SimulatorHarness<AnthropicSimulator>
{
    public const string OrganizationId = "12345678-1234-5678-1234-567812345678";
    public const string WorkspaceId = "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ";
    public const string ArchivedWorkspaceId = "wrkspc_01ArchivedWorkspace0000000";
    public const string AdminUserId = "user_01AdminUser00000000000000";
    public const string DeveloperId = "user_01WCz1FkmYMm4gnmykNKUu3Q";
    public const string NewcomerId = "user_01Newcomer0000000000000000";
    public const string RemovableId = "user_01Removable00000000000000";
    public const string PendingInviteId = "invite_015gWxCN9Hfg2QhZwTK7Mdeu";
    public const string ExpiredInviteId = "invite_01ExpiredInvite000000000";
    public const string ActiveKeyId = "apikey_01Rj2N8SVvo6BePZj99NhmiT";
    public const string InactiveKeyId = "apikey_01InactiveKey0000000000000";
    public const string ArchivedKeyId = "apikey_01ArchivedKey0000000000000";
    public const string ExpiredKeyId = "apikey_01ExpiredKey00000000000000";
    public const string ServiceAccountKeyId = "apikey_01ServiceAccountKey000000";

    // The seed is the wire format the simulator's seed file takes (docs example IDs where the docs give them).
    private const string SeedJson = """
        {
          "organization": { "id": "12345678-1234-5678-1234-567812345678", "name": "Contract Org", "type": "organization" },
          "users": [
            { "type": "user", "id": "user_01AdminUser00000000000000", "email": "admin@example.test", "name": "Ada Admin", "role": "admin", "added_at": "2024-10-30T23:58:27.427722Z" },
            { "type": "user", "id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "email": "user@emaildomain.com", "name": "Jane Doe", "role": "developer", "added_at": "2024-10-30T23:58:27.427722Z" },
            { "type": "user", "id": "user_01Newcomer0000000000000000", "email": "newcomer@example.test", "name": "Nick Newcomer", "role": "user", "added_at": "2025-01-02T10:00:00Z" },
            { "type": "user", "id": "user_01Removable00000000000000", "email": "leaver@example.test", "name": "Lee Leaver", "role": "user", "added_at": "2025-01-03T10:00:00Z" }
          ],
          "invites": [
            { "type": "invite", "id": "invite_015gWxCN9Hfg2QhZwTK7Mdeu", "email": "pending@example.test", "role": "user", "status": "pending",
              "invited_at": "2099-01-01T00:00:00Z", "expires_at": "2099-01-22T00:00:00Z", "accepted_at": null, "rbac_group_ids": [] },
            { "type": "invite", "id": "invite_01ExpiredInvite000000000", "email": "expired@example.test", "role": "developer", "status": "pending",
              "invited_at": "2024-10-30T23:58:27.427722Z", "expires_at": "2024-11-20T23:58:27.427722Z", "accepted_at": null, "rbac_group_ids": [] }
          ],
          "workspaces": [
            { "type": "workspace", "id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "name": "Workspace Name", "created_at": "2024-10-30T23:58:27.427722Z",
              "archived_at": null, "display_color": "#6C5BB9", "external_key_id": null, "tags": {} },
            { "type": "workspace", "id": "wrkspc_01ArchivedWorkspace0000000", "name": "Old Project", "created_at": "2024-01-01T00:00:00Z",
              "archived_at": "2024-11-01T23:59:27.427722Z", "display_color": "#000000" }
          ],
          "workspace_members": [
            { "type": "workspace_member", "user_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "workspace_role": "workspace_developer" },
            { "type": "workspace_member", "user_id": "user_01Removable00000000000000", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "workspace_role": "workspace_user" }
          ],
          "api_keys": [
            { "type": "api_key", "id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "name": "Developer Key", "status": "active", "created_at": "2024-10-30T23:58:27.427722Z",
              "partial_key_hint": "sk-ant-api03-R2D...igAA", "created_by": { "id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "type": "user" },
              "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "expires_at": null },
            { "type": "api_key", "id": "apikey_01InactiveKey0000000000000", "name": "Paused Key", "status": "inactive", "created_at": "2024-11-01T00:00:00Z",
              "partial_key_hint": "sk-ant-api03-AAA...bbbb", "created_by": { "id": "user_01AdminUser00000000000000", "type": "user" }, "workspace_id": null },
            { "type": "api_key", "id": "apikey_01ArchivedKey0000000000000", "name": "Retired Key", "status": "archived", "created_at": "2024-11-02T00:00:00Z",
              "partial_key_hint": "sk-ant-api03-CCC...dddd", "created_by": { "id": "user_01AdminUser00000000000000", "type": "user" }, "workspace_id": null },
            { "type": "api_key", "id": "apikey_01ExpiredKey00000000000000", "name": "Short Lived", "status": "active", "created_at": "2024-11-03T00:00:00Z",
              "partial_key_hint": "sk-ant-api03-EEE...ffff", "created_by": { "id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "type": "user" },
              "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "expires_at": "2025-01-01T00:00:00Z" },
            { "type": "api_key", "id": "apikey_01ServiceAccountKey000000", "name": "CI", "status": "active", "created_at": "2025-02-01T00:00:00Z",
              "partial_key_hint": "sk-ant-api03-GGG...hhhh", "created_by": { "id": "svcacct_01Ci000000000000000000", "type": "service_account" },
              "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
              "scope": { "type": "workspace", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ" },
              "principal": { "type": "service_account_actor", "service_account_id": "svcacct_01Ci000000000000000000" } }
          ]
        }
        """;

    public override string Platform => "anthropic";

    public override string AdminKey { get; } = "sk-ant-admin01-" + Guid.NewGuid().ToString("N");

    public override PlatformCapabilities ExpectedCapabilities =>
        PlatformCapabilities.ListAccounts
        | PlatformCapabilities.LookUpAccounts
        | PlatformCapabilities.LookUpMemberships
        | PlatformCapabilities.ListContainers
        | PlatformCapabilities.ListCredentials
        | PlatformCapabilities.ListInvitations
        | PlatformCapabilities.ListActivity
        | PlatformCapabilities.InviteAccounts
        | PlatformCapabilities.RemoveAccounts
        | PlatformCapabilities.SetAccountRoles
        | PlatformCapabilities.GrantMembership
        | PlatformCapabilities.RevokeMembership
        | PlatformCapabilities.ManageContainers
        | PlatformCapabilities.DisableCredentials
        | PlatformCapabilities.RenameCredentials;

    public override string PagedPath => "/v1/organizations/users";

    public override int PagedItemCount => Sim.UserCount;

    public override void SeedPagedItems(int count) => Sim.AddUsers(count);

    public override async IAsyncEnumerable<string> ReadPagedIdsAsync(
        IPlatformAdapter adapter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken))
        {
            yield return account.Id;
        }
    }

    public override (string ContainerId, string AccountId, string Role, string OtherRole) MembershipFixture() =>
        (WorkspaceId, NewcomerId, "workspace_developer", "workspace_admin");

    public override IReadOnlyList<string> SimulatedRoles(string containerId, string accountId) =>
        Sim.MemberRole(containerId, accountId) is { } role ? [role] : [];

    public override string RemovableAccountId() => RemovableId;

    public override bool SimulatedAccountExists(string accountId) => Sim.FindUser(accountId) is not null;

    public override async Task StartAsync()
    {
        await StartSimulatorAsync(new AnthropicSimulator(TimeProvider.System));
        using var seed = new MemoryStream(Encoding.UTF8.GetBytes(SeedJson));
        Sim.Seed(seed);
    }
}
