using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace ScimBridge.Api.Auth;

/// <summary>
/// Slows down credential guessing: after MaxFailuresPerWindow failed authentications from one address within the
/// window, that address gets 429 until the window ends, whatever it sends.
/// </summary>
public sealed class FailedAuthThrottle(TimeProvider clock, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || !_windows.TryGetValue(address, out var window))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (window.Ends <= now)
        {
            _windows.TryRemove(KeyValuePair.Create(address, window));
            return false;
        }

        retryAfter = window.Ends - now;
        return window.Failures >= options.Value.MaxFailuresPerWindow;
    }

    public void RecordFailure(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var length = TimeSpan.FromSeconds(options.Value.FailureWindowSeconds);
        _windows.AddOrUpdate(
            address,
            _ => new Window(now + length, 1),
            (_, current) => current.Ends <= now ? new Window(now + length, 1) : current with { Failures = current.Failures + 1 });

        // Bound memory under a spray of addresses: forget expired windows now and then.
        if (_windows.Count > 10_000)
        {
            foreach (var (key, window) in _windows)
            {
                if (window.Ends <= now)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed record Window(DateTimeOffset Ends, int Failures);
}
