using System.Globalization;
using ScimBridge.Bench;

// scimbridge-bench ping --urls http://127.0.0.1:PORT      the minimal Kestrel baseline
// scimbridge-bench run --scimbridge PATH [options]        the whole benchmark (see BenchOptions)
if (args.Length > 0 && args[0] == "ping")
{
    var builder = WebApplication.CreateBuilder(args[1..]);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    var app = builder.Build();
    app.MapGet("/ping", () => "pong");
    await app.RunAsync();
    return 0;
}

if (args.Length > 0 && args[0] == "run")
{
    var options = BenchOptions.Parse(args[1..]);
    return await new BenchRunner(options).RunAsync();
}

await Console.Error.WriteLineAsync("usage: scimbridge-bench ping --urls http://127.0.0.1:PORT | run --scimbridge PATH [--results FILE] "
    + "[--users N] [--groups N] [--big-group N] [--member-adds N] [--duration S] [--warmup S] [--connections N] [--seed-workers N] [--postgres ADMIN_CONNECTION_STRING] [--replicas N]");
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"got: {string.Join(' ', args)}"));
return 2;
