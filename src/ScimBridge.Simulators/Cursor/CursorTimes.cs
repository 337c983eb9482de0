using System.Globalization;

namespace ScimBridge.Simulators.Cursor;

/// <summary>
/// The audit-log <c>startTime</c>/<c>endTime</c> formats the docs list ("Date Formats"): relative shortcuts (now, today,
/// yesterday, 7d, 5h, 300s), ISO 8601, YYYY-MM-DD (midnight UTC) and Unix timestamps in seconds or milliseconds.
/// </summary>
internal static class CursorTimes
{
    // Below this a number is seconds: 1e11 s is the year 5138, 1e11 ms is 1973.
    private const long MillisecondsThreshold = 100_000_000_000;

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        switch (text.ToUpperInvariant())
        {
            case "NOW":
                value = now;
                return true;
            case "TODAY":
                value = today;
                return true;
            case "YESTERDAY":
                value = today.AddDays(-1);
                return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            value = number < MillisecondsThreshold ? DateTimeOffset.FromUnixTimeSeconds(number) : DateTimeOffset.FromUnixTimeMilliseconds(number);
            return true;
        }

        if (text.Length > 1 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? ago = char.ToUpperInvariant(text[^1]) switch
            {
                'D' => TimeSpan.FromDays(amount),
                'H' => TimeSpan.FromHours(amount),
                'S' => TimeSpan.FromSeconds(amount),
                _ => null,
            };
            if (ago is { } span)
            {
                value = now - span;
                return true;
            }
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static long Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
