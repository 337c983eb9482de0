using System.Diagnostics;

namespace ScimBridge.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the real scimbridge binary (the scimbridge.dll beside the tests) as a separate process, the way an operator
/// or a script runs it: its exit code, standard output and standard error, within a minute. Linked into the
/// Platforms.Tests project too.
/// </summary>
public static class CliProcess
{
    /// <summary>Runs <c>scimbridge ARGS</c> in <paramref name="workingDirectory"/>, with logging at Warning.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scimbridge.dll"));
        foreach (var arg in args.Append("--Logging:LogLevel:Default=Warning"))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
