using System.Buffers.Text;
using System.Text;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.OpenAI;

internal enum CredentialPhase
{
    AdminKeys,
    ProjectKeys,
    ServiceAccounts,
}

/// <summary>
/// Where a credential listing stands: admin keys first, then for each active project its API keys and then its service
/// accounts. It names only the current project and the platform's <c>after</c> cursor inside that project's list, so
/// the listing holds one page in memory however many projects and keys there are; the next project is found by asking
/// for one project after the current one.
/// </summary>
internal sealed record CredentialPageToken(CredentialPhase Phase, string? Project, string? After)
{
    private const string Version = "c1.";

    public static CredentialPageToken Start { get; } = new(CredentialPhase.AdminKeys, null, null);

    public string Encode()
    {
        var phase = Phase switch
        {
            CredentialPhase.AdminKeys => 'a',
            CredentialPhase.ProjectKeys => 'k',
            CredentialPhase.ServiceAccounts => 's',
            _ => throw new InvalidOperationException($"Unknown phase {Phase}."),
        };

        // Newlines cannot occur in OpenAI ids, so they separate the parts; base64url keeps the token opaque and URL-safe.
        return Version + Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{phase}\n{Project}\n{After}"));
    }

    public static CredentialPageToken Parse(string token)
    {
        try
        {
            if (token.StartsWith(Version, StringComparison.Ordinal))
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Version.Length))).Split('\n');
                if (parts.Length == 3)
                {
                    var project = parts[1].Length > 0 ? parts[1] : null;
                    var after = parts[2].Length > 0 ? parts[2] : null;
                    CredentialPageToken? parsed = parts[0] switch
                    {
                        "a" when project is null => new(CredentialPhase.AdminKeys, null, after),
                        "k" when project is not null => new(CredentialPhase.ProjectKeys, project, after),
                        "s" when project is not null => new(CredentialPhase.ServiceAccounts, project, after),
                        _ => null,
                    };
                    if (parsed is not null)
                    {
                        return parsed;
                    }
                }
            }
        }
        catch (FormatException)
        {
        }

        throw new PlatformPermanentException(PlatformErrorKind.Validation, "Not a credential page token of the OpenAI adapter.");
    }
}
