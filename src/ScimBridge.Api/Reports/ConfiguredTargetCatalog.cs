using Microsoft.Extensions.Options;
using ScimBridge.Core.Reports;
using ScimBridge.Platforms.Anthropic;
using ScimBridge.Platforms.Cursor;
using ScimBridge.Platforms.Http;
using ScimBridge.Platforms.OpenAI;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Api.Reports;

/// <summary>A target's owner, description and effective base URL (its platform's default when not configured), from its bound options.</summary>
internal sealed class ConfiguredTargetCatalog(IServiceProvider services, Core.Platforms.IPlatformRegistry platforms) : ITargetCatalog
{
    public TargetDescription Describe(string target)
    {
        PlatformTargetOptions? options = platforms.Find(target)?.Target.Platform switch
        {
            "openai" => services.GetRequiredService<IOptionsMonitor<OpenAIOptions>>().Get(target),
            "anthropic" => services.GetRequiredService<IOptionsMonitor<AnthropicOptions>>().Get(target),
            "cursor" => services.GetRequiredService<IOptionsMonitor<CursorOptions>>().Get(target),
            "scim" => services.GetRequiredService<IOptionsMonitor<ScimTargetOptions>>().Get(target),
            _ => null,
        };
        return new TargetDescription(options?.Owner, options?.Description, options?.BaseUrl?.AbsoluteUri);
    }
}
