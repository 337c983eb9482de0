using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Tests.Contract;
using ScimBridge.Simulators.OpenAI;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>The OpenAI simulator on loopback, seeded with a small organisation in the Admin API's wire format.</summary>
public sealed class OpenAIHarness : SimulatorHarness<OpenAISimulator>
{
    public const string OwnerId = "user-owner";
    public const string DeveloperId = "user-developer";
    public const string NewcomerId = "user-newcomer";
    public const string RemovableId = "user-removable";
    public const string ResearchProject = "proj_research";
    public const string ArchivedProject = "proj_archived";
    public const string CiServiceAccount = "svc_acct_ci";
    public const string DeveloperKey = "key_user_developer";
    public const string CiKey = "key_svc_acct_ci";
    public const string EngineeringGroup = "group_engineering";
    public const string ScimGroup = "group_scim";
    public const string GroupManagerRole = "role_org_group_manager";
    public const string KeyManagerRole = "role_proj_key_manager";
    public const string PendingInvite = "invite-pending";
    public const string AcceptedInvite = "invite-accepted";
    public const string ExpiredInvite = "invite-expired";
    public const string AdminKeyId = "key_admin_scimbridge";
    public const string ExpiredAdminKeyId = "key_admin_expired";

    // 4102444800 is 2100-01-01: pending invites stay pending whenever the suite runs.
    private const string SeedJson = """
        {
          "users": [
            { "object": "organization.user", "id": "user-owner", "name": "Ada Owner", "email": "ada@example.test", "role": "owner", "added_at": 1711471533 },
            { "object": "organization.user", "id": "user-developer", "name": "Dev Eloper", "email": "dev@example.test", "role": "reader", "added_at": 1711471600,
              "is_scim_managed": true, "api_key_last_used_at": 1735776000 },
            { "object": "organization.user", "id": "user-newcomer", "name": "Nick Newcomer", "email": "newcomer@example.test", "role": "reader", "added_at": 1711471700 },
            { "object": "organization.user", "id": "user-removable", "name": "Lee Leaver", "email": "leaver@example.test", "role": "reader", "added_at": 1711471800 }
          ],
          "invites": [
            { "object": "organization.invite", "id": "invite-pending", "email": "pending@example.test", "role": "reader", "status": "pending",
              "created_at": 1711471533, "expires_at": 4102444800, "accepted_at": null, "projects": [ { "id": "proj_research", "role": "member" } ] },
            { "object": "organization.invite", "id": "invite-accepted", "email": "gone@example.test", "role": "reader", "status": "accepted",
              "created_at": 1711471533, "expires_at": 1712076333, "accepted_at": 1711500000, "projects": [] },
            { "object": "organization.invite", "id": "invite-expired", "email": "late@example.test", "role": "reader", "status": "pending",
              "invited_at": 1700000000, "expires_at": 1700604800, "accepted_at": null, "projects": [] }
          ],
          "projects": [
            { "object": "organization.project", "id": "proj_research", "name": "Research", "created_at": 1711471533, "archived_at": null, "status": "active",
              "users": [
                { "object": "organization.project.user", "id": "user-owner", "name": "Ada Owner", "email": "ada@example.test", "role": "owner", "added_at": 1711471533 },
                { "object": "organization.project.user", "id": "user-developer", "name": "Dev Eloper", "email": "dev@example.test", "role": "member", "added_at": 1711471600 }
              ],
              "service_accounts": [
                { "object": "organization.project.service_account", "id": "svc_acct_ci", "name": "ci", "role": "member", "created_at": 1711472000 }
              ],
              "api_keys": [
                { "object": "organization.project.api_key", "id": "key_user_developer", "name": "laptop", "redacted_value": "sk-proj-...dev",
                  "created_at": 1711473000, "last_used_at": 1735776000, "owner_project_access": "active",
                  "owner": { "type": "user", "user": { "id": "user-developer", "email": "dev@example.test", "name": "Dev Eloper", "created_at": 1711471600, "role": "member" } } },
                { "object": "organization.project.api_key", "id": "key_svc_acct_ci", "name": "Secret Key", "redacted_value": "sk-svcacct...cik",
                  "created_at": 1711472000, "last_used_at": null, "owner_project_access": "active",
                  "owner": { "type": "service_account", "service_account": { "id": "svc_acct_ci", "name": "ci", "created_at": 1711472000, "role": "member" } } }
              ],
              "roles": [
                { "object": "role", "id": "role_proj_key_manager", "name": "API Project Key Manager", "description": "Allows managing API keys for the project",
                  "permissions": [ "api.organization.projects.api_keys.read", "api.organization.projects.api_keys.write" ], "resource_type": "api.project", "predefined_role": false }
              ] },
            { "object": "organization.project", "id": "proj_archived", "name": "Old Experiments", "created_at": 1700000000, "archived_at": 1720000000, "status": "archived",
              "users": [], "service_accounts": [], "api_keys": [] }
          ],
          "groups": [
            { "object": "group", "id": "group_engineering", "name": "Engineering", "created_at": 1711471533, "is_scim_managed": false, "group_type": "group" },
            { "object": "group", "id": "group_scim", "name": "Synced from IdP", "created_at": 1711471533, "is_scim_managed": true, "group_type": "group" }
          ],
          "group_users": [ { "object": "group.user", "group_id": "group_engineering", "user_id": "user-developer" } ],
          "roles": [
            { "object": "role", "id": "role_org_group_manager", "name": "API Group Manager", "description": "Allows managing organization groups",
              "permissions": [ "api.groups.read", "api.groups.write" ], "resource_type": "api.organization", "predefined_role": false },
            { "object": "role", "id": "role_org_reader", "name": "Reader", "description": null, "permissions": [ "api.organization.read" ],
              "resource_type": "api.organization", "predefined_role": true }
          ],
          "role_assignments": [
            { "object": "user.role", "user": { "id": "user-developer" }, "role": { "id": "role_org_group_manager" }, "project_id": null }
          ],
          "admin_api_keys": [
            { "object": "organization.admin_api_key", "id": "key_admin_scimbridge", "name": "ScimBridge", "redacted_value": "sk-admin...sb1",
              "created_at": 1711471533, "expires_at": null, "last_used_at": 1735776000,
              "owner": { "type": "user", "object": "organization.user", "id": "user-owner", "name": "Ada Owner", "created_at": 1711471533, "role": "owner" } },
            { "object": "organization.admin_api_key", "id": "key_admin_expired", "name": "Old automation", "redacted_value": "sk-admin...old",
              "created_at": 1700000000, "expires_at": 1700600000, "last_used_at": null,
              "owner": { "type": "user", "object": "organization.user", "id": "user-owner", "name": "Ada Owner", "created_at": 1711471533, "role": "owner" } }
          ],
          "audit_logs": [
            { "id": "audit_log-login", "type": "login.succeeded", "effective_at": 1735689600,
              "actor": { "type": "session", "session": { "user": { "id": "user-developer", "email": "dev@example.test" }, "ip_address": "203.0.113.7",
                "user_agent": "Mozilla/5.0 (X11; Linux x86_64)" } },
              "login.succeeded": {} },
            { "id": "audit_log-key", "type": "api_key.created", "effective_at": 1735776000, "project": { "id": "proj_research", "name": "Research" },
              "actor": { "type": "api_key", "api_key": { "id": "key_user_developer", "type": "user", "user": { "id": "user-developer", "email": "dev@example.test" } } },
              "api_key.created": { "id": "key_user_developer", "data": { "scopes": [ "api.responses.write" ] } } },
            { "id": "audit_log-archive", "type": "project.archived", "effective_at": 1720000000, "project": { "id": "proj_archived", "name": "Old Experiments" },
              "actor": { "type": "api_key", "api_key": { "id": "key_admin_scimbridge", "type": "user", "user": { "id": "user-owner", "email": "ada@example.test" } } },
              "project.archived": { "id": "proj_archived" } }
          ]
        }
        """;

    public override string Platform => "openai";

    public override string AdminKey { get; } = "sk-admin-" + Guid.NewGuid().ToString("N");

    // Everything but disabling and renaming credentials, which the Admin API cannot do.
    public override PlatformCapabilities ExpectedCapabilities =>
        PlatformCapabilities.ListAccounts
        | PlatformCapabilities.LookUpAccounts
        | PlatformCapabilities.LookUpMemberships
        | PlatformCapabilities.ListContainers
        | PlatformCapabilities.ListGroups
        | PlatformCapabilities.ListRoles
        | PlatformCapabilities.ListCredentials
        | PlatformCapabilities.ListInvitations
        | PlatformCapabilities.ListActivity
        | PlatformCapabilities.InviteAccounts
        | PlatformCapabilities.RemoveAccounts
        | PlatformCapabilities.SetAccountRoles
        | PlatformCapabilities.GrantMembership
        | PlatformCapabilities.RevokeMembership
        | PlatformCapabilities.ManageContainers
        | PlatformCapabilities.ManageGroups
        | PlatformCapabilities.ManageRoleAssignments
        | PlatformCapabilities.DeleteCredentials
        | PlatformCapabilities.IssueCredentials;

    public override string PagedPath => "/v1/organization/users";

    public override int PagedItemCount => Sim.UserCount;

    public override void SeedPagedItems(int count) => Sim.AddUsers(count);

    public override async IAsyncEnumerable<string> ReadPagedIdsAsync(IPlatformAdapter adapter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken))
        {
            yield return account.Id;
        }
    }

    public override (string ContainerId, string AccountId, string Role, string OtherRole) MembershipFixture() =>
        (ResearchProject, NewcomerId, "member", "owner");

    public override IReadOnlyList<string> SimulatedRoles(string containerId, string accountId) =>
        Sim.ProjectUserRole(containerId, accountId) is { } role ? [role] : [];

    public override string RemovableAccountId() => RemovableId;

    public override bool SimulatedAccountExists(string accountId) => Sim.UserExists(accountId);

    public override async Task<IReadOnlyList<string>> ExerciseSecretsAsync(IPlatformAdapter adapter, CancellationToken cancellationToken)
    {
        var issued = await ((ICredentialIssuer)adapter).IssueCredentialAsync(ResearchProject, "contract-secret", cancellationToken);
        return [issued.Secret.Reveal()];
    }

    public override async Task StartAsync()
    {
        await StartSimulatorAsync(new OpenAISimulator(TimeProvider.System));
        Seed(SeedJson);
    }

    public void Seed(string json)
    {
        using var seed = new MemoryStream(Encoding.UTF8.GetBytes(json));
        Sim.Seed(seed);
    }

    /// <summary>The simulator's state as its JSON snapshot (the seed format).</summary>
    public JsonElement State() => (JsonElement)Sim.Snapshot();

    /// <summary>A raw HTTP client on the simulator's /v1, authenticated like the adapter, to check the wire itself.</summary>
    public HttpClient RawClient(string? apiKey = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl.AbsoluteUri.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? AdminKey);
        return http;
    }

    public T Adapter<T>(int? pageSize = null)
        where T : class =>
        (T)CreateAdapter(overrides: pageSize is { } size ? [new("PageSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture))] : null);
}
