using System.CommandLine;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Hosting;

namespace ScimBridge.Api.Cli;

/// <summary>
/// The service as a CLI command uses it, offline: built from the command's pass-through options with the background
/// workers off, its options validated (each failure printed, exit 2, as the service would refuse to start), and, when
/// asked, the database migrated. Commands then resolve what they need from <c>app.Services</c>.
/// </summary>
internal static class CliHost
{
    /// <summary>The built app, or null with the exit code to return.</summary>
    public static async Task<(WebApplication? App, int Exit)> OpenAsync(ParseResult result, bool storage, CancellationToken cancellationToken)
    {
        var app = ScimBridgeHost.Build([.. result.UnmatchedTokens, "--Reconciliation:Worker=false", "--Activity:Scheduled=false"]);
        try
        {
            // The server validates options when it starts; a command that never starts the host must ask.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Failures));
            await app.DisposeAsync();
            return (null, ScimBridgeCli.BadUsage);
        }

        if (storage)
        {
            foreach (var initializer in app.Services.GetServices<IHostedService>().OfType<StorageInitializer>())
            {
                await initializer.StartAsync(cancellationToken);
            }
        }

        return (app, ScimBridgeCli.Ok);
    }
}
