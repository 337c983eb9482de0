using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;

namespace ScimBridge.Api.Operators;

/// <summary>A signed-in console operator, as read back from the session cookie.</summary>
public sealed record OperatorSession(string Name, string Role, string Csrf, string Id, DateTimeOffset Expires);

/// <summary>
/// Console sessions as self-contained cookies: a small JSON payload and its HMAC-SHA256 under Admin:Session:Key, so any
/// replica with the key can check a session without shared state (ADR 0014). The payload carries a fingerprint of the
/// operator's password hash, so changing an operator's password or role in configuration, or removing the operator,
/// ends their sessions; sign-out revokes the session id in this process until it would have expired anyway.
/// </summary>
public sealed class OperatorSessions
{
    public const string CookieName = "scimbridge_session";

    private readonly byte[] _key;
    private readonly TimeProvider _clock;
    private readonly IOptionsMonitor<AdminOptions> _options;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public OperatorSessions(IOptionsMonitor<AdminOptions> options, TimeProvider clock, ILogger<OperatorSessions> logger)
    {
        _options = options;
        _clock = clock;
        if (options.CurrentValue.Session.Key is { Length: > 0 } key)
        {
            _key = Convert.FromBase64String(key);
        }
        else
        {
            _key = RandomNumberGenerator.GetBytes(32);
            if (options.CurrentValue.Operators.Count > 0)
            {
                logger.EphemeralSessionKey();
            }
        }
    }

    public (string Cookie, OperatorSession Session) Issue(OperatorAccount account)
    {
        var now = _clock.GetUtcNow();
        var session = new OperatorSession(
            account.Name, account.Role, Base64Url(RandomNumberGenerator.GetBytes(24)), Base64Url(RandomNumberGenerator.GetBytes(16)),
            now.AddMinutes(_options.CurrentValue.Session.LifetimeMinutes));
        var payload = new Payload(session.Name, session.Role, session.Csrf, session.Id, session.Expires.ToUnixTimeSeconds(), Fingerprint(account));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Default.Payload));
        return (body + "." + Base64Url(Sign(body)), session);
    }

    /// <summary>The session a cookie stands for, or null when it is forged, expired, revoked or its operator changed.</summary>
    public OperatorSession? Read(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 2048 || cookie.Split('.') is not [var body, var signature])
        {
            return null;
        }

        if (!TryBase64Url(signature, out var given) || !CryptographicOperations.FixedTimeEquals(given, Sign(body)) || !TryBase64Url(body, out var json))
        {
            return null;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, PayloadJson.Default.Payload);
        }
        catch (JsonException)
        {
            return null;
        }

        var now = _clock.GetUtcNow();
        if (payload is null || DateTimeOffset.FromUnixTimeSeconds(payload.Exp) <= now || _revoked.ContainsKey(payload.Sid))
        {
            return null;
        }

        var account = _options.CurrentValue.Operators.FirstOrDefault(o => string.Equals(o.Name, payload.Name, StringComparison.OrdinalIgnoreCase));
        if (account is null || account.Role != payload.Role || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Fingerprint(account)), Encoding.ASCII.GetBytes(payload.Fp)))
        {
            return null;
        }

        return new OperatorSession(account.Name, account.Role, payload.Csrf, payload.Sid, DateTimeOffset.FromUnixTimeSeconds(payload.Exp));
    }

    public void Revoke(OperatorSession session)
    {
        var now = _clock.GetUtcNow();
        _revoked[session.Id] = session.Expires;
        foreach (var (id, expires) in _revoked)
        {
            if (expires <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }
    }

    private byte[] Sign(string body) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body));

    // Not the hash itself (the cookie is readable by its holder): a keyed digest of it, enough to notice a change.
    private string Fingerprint(OperatorAccount account) =>
        Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("fp:" + account.PasswordHash + ":" + account.Role))[..12]);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }

    internal sealed record Payload(string Name, string Role, string Csrf, string Sid, long Exp, string Fp);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(OperatorSessions.Payload))]
internal sealed partial class PayloadJson : System.Text.Json.Serialization.JsonSerializerContext;
