using ScimBridge.Core.Platforms;

namespace ScimBridge.Core.Reports;

/// <summary>
/// What reports need to know about a platform that the adapter contract does not say: what its containers are called,
/// which permission-bearing objects the platform has at all, and whether its key listing reports last use. Unknown
/// platforms (a generic SCIM app) get only what the adapter's capabilities show.
/// </summary>
public static class PlatformFacts
{
    /// <summary>The object name of a container in reports: "project:research", "workspace:default", "team".</summary>
    public static string ContainerObject(PlatformContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.Kind switch
        {
            ContainerKind.Project => "project:" + container.Name,
            ContainerKind.Workspace => "workspace:" + container.Name,
            _ => "team",
        };
    }

    /// <summary>The container word of a platform: OpenAI projects, Anthropic workspaces, a Cursor team.</summary>
    public static string? ContainerWord(string platform) => platform switch
    {
        "openai" => "project",
        "anthropic" => "workspace",
        "cursor" => "team",
        _ => null,
    };

    /// <summary>
    /// Whether the platform's credential listing carries last use. OpenAI's project and admin keys have
    /// <c>last_used_at</c> (OpenAI Admin API spec, ProjectApiKey/AdminApiKey); a service account's last use is its
    /// newest key's. Anthropic's API key object has no last-use field (Admin API, "Get API Key"), so its keys are never
    /// called stale.
    /// </summary>
    public static bool ReportsLastUse(string platform) => platform == "openai";

    /// <summary>Whether the platform has service accounts at all (OpenAI project service accounts).</summary>
    public static bool HasServiceAccounts(string platform) => platform == "openai";

    /// <summary>
    /// Whether the platform has API keys an admin API could list. Cursor does (user API keys for its Admin and Cloud
    /// Agents APIs) but its Admin API does not list them.
    /// </summary>
    public static bool HasApiKeys(string platform) => platform is "openai" or "anthropic" or "cursor";

    /// <summary>Whether the platform has roles beyond the predefined ones (OpenAI RBAC custom roles).</summary>
    public static bool HasCustomRoles(string platform) => platform == "openai";

    /// <summary>Whether the platform has groups of its own (OpenAI RBAC groups, a SCIM app's groups).</summary>
    public static bool HasGroups(string platform) => platform is "openai" or "scim";

    /// <summary>Whether joining goes through an invitation the person accepts (OpenAI, Anthropic); SCIM apps create accounts.</summary>
    public static bool HasInvitations(string platform) => platform is "openai" or "anthropic";

    /// <summary>Whether the platform has an organisation-level role (every platform here but a generic SCIM app).</summary>
    public static bool HasOrganizationRole(string platform) => platform is "openai" or "anthropic" or "cursor";
}
