using System.ComponentModel.DataAnnotations;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Anthropic;

/// <summary>
/// An Anthropic Admin API target (<c>Platform: anthropic</c>). The key is an Admin key (<c>sk-ant-admin01-…</c>), made
/// only in the Console by an org admin; ordinary API keys are rejected by every /v1/organizations route.
/// </summary>
public sealed class AnthropicOptions : PlatformTargetOptions
{
    public const string DefaultBaseUrl = "https://api.anthropic.com";

    public const string DefaultVersion = "2023-06-01";

    public AnthropicOptions()
    {
        BaseUrl = new Uri(DefaultBaseUrl);
    }

    /// <summary>
    /// Sent as the <c>anthropic-version</c> header, which every request must carry (the API answers 400
    /// "anthropic-version: header is required" without it). 2023-06-01 is the version the Admin API docs use.
    /// </summary>
    [Required]
    [RegularExpression(@"^\d{4}-\d{2}-\d{2}$", ErrorMessage = "AnthropicVersion must be a version date such as 2023-06-01.")]
    public string AnthropicVersion { get; set; } = DefaultVersion;
}
