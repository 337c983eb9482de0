using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.OpenAI;

/// <summary>
/// One OpenAI organisation (section <c>Platforms:Targets:&lt;name&gt;</c> with <c>Platform: openai</c>). The ApiKey must
/// be an Admin key (sk-admin-…): every /organization route uses the AdminApiKeyAuth scheme, project keys are refused.
/// </summary>
public sealed class OpenAIOptions : PlatformTargetOptions
{
    public const string PlatformName = "openai";

    public static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    public OpenAIOptions()
    {
        Platform = PlatformName;
        BaseUrl = DefaultBaseUrl;
    }

    // The spec gives two limit ranges: the classic lists (users, invites, projects, keys, service accounts, audit logs)
    // take 1–100, the RBAC lists (groups, group users, roles, role assignments) 0–1000. Zero would page nothing.
    internal int ClassicLimit => Math.Clamp(PageSize, 1, 100);

    internal int RbacLimit => Math.Clamp(PageSize, 1, 1000);
}
