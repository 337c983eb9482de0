using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ScimBridge.Bench;

internal sealed record WrkResult(double RequestsPerSecond, long Requests, long Non2xx, long SocketErrors, double P50Ms, double P99Ms, string Output);

/// <summary>Runs wrk with a generated Lua script and parses its summary (Requests/sec, --latency percentiles).</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string wrk, string url, string script, int threads, int connections, int seconds)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"scimbridge-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(scriptPath, script);
        try
        {
            var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{seconds.ToString(CultureInfo.InvariantCulture)}s", "--latency", "-s", scriptPath, url,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = await stdout + await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited with {process.ExitCode}:\n{output}");
            }

            return Parse(output);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private static WrkResult Parse(string output)
    {
        double Number(Regex regex) => regex.Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var rps = Number(RequestsPerSecond());
        var requests = (long)Number(RequestCount());
        var non2xx = (long)Number(Non2xx());
        var errors = SocketErrors().Match(output) is { Success: true } e
            ? e.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(rps, requests, non2xx, errors, Percentile(output, "50"), Percentile(output, "99"), output);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
