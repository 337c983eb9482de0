using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ScimBridge.Core.Audit;

/// <summary>
/// The hash chain: hash(n) = SHA-256(hash(n-1) || canonical bytes of event n), hex encoded. The canonical bytes are a
/// JSON array of every field in a fixed order, written by Utf8JsonWriter (deterministic for equal input), so the same
/// event always hashes the same on any replica, database or platform. The sequence number is not in the bytes: an
/// event's position is fixed by the link to its predecessor, which is what lets verification tell a moved event
/// ("reordered") from an edited one.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first event ever appended.</summary>
    public static readonly string Genesis = new('0', 64);

    private const string Version = "scimbridge.audit/1";

    /// <summary>The fixed-width UTC time format stored and hashed (7 fractional digits: text order is time order).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static byte[] CanonicalBytes(AuditEvent e) => CanonicalBytes([e])[0];

    /// <summary>Canonical bytes of many events through one reused writer (the group commit's path).</summary>
    public static List<byte[]> CanonicalBytes(IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new List<byte[]>(events.Count);
        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var e in events)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            Write(writer, e);
            writer.Flush();
            result.Add(buffer.WrittenSpan.ToArray());
        }

        return result;
    }

    private static void Write(Utf8JsonWriter writer, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartArray();
        writer.WriteStringValue(Version);
        writer.WriteStringValue(FormatTime(e.Occurred));
        foreach (var field in (ReadOnlySpan<string?>)[e.Kind, e.Actor, e.Connection, e.Target, e.ResourceType, e.ResourceId, e.Action, e.Outcome, e.RequestId, e.Details])
        {
            if (field is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(field);
            }
        }

        writer.WriteEndArray();
    }

    public static string Hash(string previousHash, AuditEvent e) => Hash(previousHash, CanonicalBytes(e));

    public static string Hash(string previousHash, byte[] canonical)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(canonical);
        var input = new byte[32 + canonical.Length];
        if (previousHash.Length != 64 || Convert.FromHexString(previousHash, input.AsSpan(0, 32), out _, out _) != OperationStatus.Done)
        {
            // A mangled stored hash cannot link anything; hashing it as zeros makes the check fail rather than throw.
            input.AsSpan(0, 32).Clear();
        }

        canonical.CopyTo(input, 32);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>Seals <paramref name="events"/> after (<paramref name="lastSequence"/>, <paramref name="lastHash"/>).</summary>
    public static List<AuditRecord> Seal(long lastSequence, string lastHash, IEnumerable<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = events.ToList();
        return Seal(lastSequence, lastHash, list, CanonicalBytes(list));
    }

    /// <summary>The same with the canonical bytes already computed (outside the append's lock, where it is cheaper).</summary>
    public static List<AuditRecord> Seal(long lastSequence, string lastHash, IReadOnlyList<AuditEvent> events, IReadOnlyList<byte[]> canonical)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(canonical);
        var sealedRecords = new List<AuditRecord>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var hash = Hash(lastHash, canonical[i]);
            sealedRecords.Add(new AuditRecord(++lastSequence, lastHash, hash, events[i]));
            lastHash = hash;
        }

        return sealedRecords;
    }
}
