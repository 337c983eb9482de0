using System.Text.RegularExpressions;

namespace ScimBridge.Platforms.Http;

/// <summary>
/// Removes key-shaped strings from text that came back from a platform before it reaches an exception message or a log.
/// Platforms echo parts of keys in errors ("Incorrect API key provided: sk-abc…"); we never pass even those on.
/// </summary>
public static partial class SecretRedactor
{
    // OpenAI sk-…, sk-proj-…, sk-admin-…, sk-svcacct-…; Anthropic sk-ant-…; Cursor key_ + 64 hex; bearer tokens.
    [GeneratedRegex(@"(sk-[A-Za-z0-9_\-\.\*]{6,}|key_[A-Fa-f0-9]{16,}|(?i:bearer)\s+[A-Za-z0-9_\-\.=~+/]{8,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();

    public static string Redact(string text, string? knownSecret = null)
    {
        if (!string.IsNullOrEmpty(knownSecret) && text.Contains(knownSecret, StringComparison.Ordinal))
        {
            text = text.Replace(knownSecret, "[redacted]", StringComparison.Ordinal);
        }

        return KeyShaped().Replace(text, "[redacted]");
    }
}
