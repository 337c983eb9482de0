using System.Security.Cryptography;
using System.Text;

namespace ScimBridge.Core.Connections;

/// <summary>
/// Bearer secrets for connections (Entra "Secret Token", Okta "HTTP Header" auth). A secret is 256 random bits,
/// so a single SHA-256 is enough to store it (no password-stretching KDF: there is nothing to brute-force), and
/// lookups by hash stay O(1). Only the hash is ever stored; the secret is shown once.
/// </summary>
public static class ConnectionSecret
{
    public const string Prefix = "scb_";

    public static string Generate() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> utf8 = secret.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        return SHA256.HashData(utf8[..length]);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
