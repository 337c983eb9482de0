using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace ScimBridge.IntegrationTests.Replicas;

/// <summary>A fresh PostgreSQL database for one test, on the throwaway server named by SCIMBRIDGE_TEST_POSTGRES.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private TestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("SCIMBRIDGE_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "SCIMBRIDGE_TEST_POSTGRES is not set: this test needs a PostgreSQL server. Run ./test.sh, which starts a throwaway one.");
        var name = "scimbridge_r_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(admin, name, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>One ScimBridge replica: the real service binary as its own process on a free 127.0.0.1 port.</summary>
public sealed partial class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ReplicaProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ReplicaProcess> StartAsync(string connectionString)
    {
        var port = FreePort();
        var process = Start("--urls", $"http://127.0.0.1:{port}", $"--Storage:ConnectionString={connectionString}", "--Logging:LogLevel:Default=Warning");
        var replica = new ReplicaProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return replica;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Replica on port {port} did not become ready (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Creates a connection through the service's own CLI and returns its secret.</summary>
    public static async Task<string> CreateConnectionAsync(string connectionString, string name)
    {
        using var process = Start("connections", "create", "--name", name, "--kind", "entra", $"--Storage:ConnectionString={connectionString}", "--Logging:LogLevel:Default=Warning");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return SecretPattern().Match(output).Value is { Length: > 0 } secret ? secret : throw new InvalidOperationException($"No secret in: {output}");
    }

    public HttpClient Client(string secret)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress, "/scim/v2/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>Kills the process outright, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scimbridge.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        if (args[0] == "--urls")
        {
            // Drain the server's output so a full pipe never blocks it.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("scb_[A-Za-z0-9_-]+")]
    private static partial Regex SecretPattern();
}
