using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ScimBridge.Api.Operators;

/// <summary>
/// Operator password hashes in ASP.NET Core Identity's "version 3" format, so a hash made by Identity's
/// PasswordHasher (or by <c>scimbridge operators hash-password</c>) can be pasted into configuration as it is:
/// base64 of { 0x01, prf (UInt32), iteration count (UInt32), salt length (UInt32), salt, subkey }, UInt32s big-endian,
/// prf 1 = HMAC-SHA256, 2 = HMAC-SHA512. Source: dotnet/aspnetcore src/Identity/Extensions.Core/src/PasswordHasher.cs.
/// </summary>
public static class OperatorPasswordHasher
{
    /// <summary>
    /// PBKDF2-HMAC-SHA512 at 210,000 iterations: the OWASP Password Storage Cheat Sheet's figure for that PRF
    /// (Identity's own default is 100,000). A sign-in costs one derivation, tens of milliseconds.
    /// </summary>
    public const int Iterations = 210_000;

    /// <summary>Identity hashes made before .NET 7 used 10,000 (HMAC-SHA256); fewer is refused at start.</summary>
    public const int MinimumIterations = 10_000;

    /// <summary>Sign-in rejects longer inputs before hashing, so a huge password cannot buy a long PBKDF2 run.</summary>
    public const int MaxPasswordLength = 1024;

    private const byte FormatMarker = 0x01;
    private const int SaltBytes = 16;
    private const int SubkeyBytes = 32;

    // A hash of a random password, verified when the name is unknown so that an unknown name costs the same time.
    private static readonly Lazy<string> Decoy = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, SubkeyBytes);
        var output = new byte[13 + SaltBytes + SubkeyBytes];
        output[0] = FormatMarker;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 2);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), SaltBytes);
        salt.CopyTo(output, 13);
        subkey.CopyTo(output, 13 + SaltBytes);
        return Convert.ToBase64String(output);
    }

    /// <summary>Null when <paramref name="hash"/> is a usable version-3 hash, else what is wrong with it (never the hash).</summary>
    public static string? Problem(string? hash) => Parse(hash, out _);

    public static bool Verify(string hash, string password)
    {
        if (Parse(hash, out var parsed) is not null || password.Length > MaxPasswordLength)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, parsed.Salt, parsed.Iterations, parsed.Prf, parsed.Subkey.Length);
        return CryptographicOperations.FixedTimeEquals(actual, parsed.Subkey);
    }

    /// <summary>Spends the time of one verification and fails: the answer for a name that is not configured.</summary>
    public static bool VerifyDecoy(string password)
    {
        Verify(Decoy.Value, password);
        return false;
    }

    private static string? Parse(string? hash, out Parsed parsed)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(hash))
        {
            return "is empty";
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(hash.Trim());
        }
        catch (FormatException)
        {
            return "is not base64";
        }

        if (bytes.Length < 13 || bytes[0] != FormatMarker)
        {
            return "is not an ASP.NET Core Identity version 3 hash (make one with 'scimbridge operators hash-password')";
        }

        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)) switch
        {
            1 => HashAlgorithmName.SHA256,
            2 => HashAlgorithmName.SHA512,
            _ => default(HashAlgorithmName?),
        };
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        if (prf is null)
        {
            return "uses a PRF other than HMAC-SHA256 or HMAC-SHA512";
        }

        if (iterations is < MinimumIterations or > 10_000_000)
        {
            return $"has {iterations} PBKDF2 iterations; between {MinimumIterations} and 10,000,000 are accepted";
        }

        if (saltLength < 16 || saltLength > bytes.Length - 13 - 16)
        {
            return "has a salt or subkey shorter than 128 bits";
        }

        parsed = new Parsed(prf.Value, (int)iterations, bytes[13..(13 + (int)saltLength)], bytes[(13 + (int)saltLength)..]);
        return null;
    }

    private readonly record struct Parsed(HashAlgorithmName Prf, int Iterations, byte[] Salt, byte[] Subkey);
}
