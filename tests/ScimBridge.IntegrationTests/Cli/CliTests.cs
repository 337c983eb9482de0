using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Cli;

/// <summary>The service binary's commands, run as a real process the way an operator runs them.</summary>
public sealed partial class CliTests : IAsyncLifetime
{
    // The CLI and the servers of a test share one store (a SQLite folder, or a PostgreSQL database in that pass).
    private TestStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await TestStorage.CreateAsync();

    public async Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task ConnectionsCreate_PrintsSecretOnce_AndTheSecretAuthenticates()
    {
        var (exit, output, _) = await RunAsync("connections", "create", "--name", "entra-prod", "--kind", "entra");
        Assert.Equal(0, exit);
        var secret = SecretPattern().Match(output).Value;
        Assert.StartsWith("scb_", secret, StringComparison.Ordinal);

        var (listExit, list, _) = await RunAsync("connections", "list");
        Assert.Equal(0, listExit);
        Assert.Contains("entra-prod", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);

        await using var server = await ScimServer.StartAsync([.. _storage.Args]);
        using var client = server.Client(secret);
        var response = await client.GetAsync("Users?filter=userName%20eq%20%22nobody%22");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConnectionsRotateSecret_OldSecretStopsWorking()
    {
        var (_, created, _) = await RunAsync("connections", "create", "--name", "okta-prod", "--kind", "okta");
        var oldSecret = SecretPattern().Match(created).Value;
        var (exit, rotated, _) = await RunAsync("connections", "rotate-secret", "--name", "okta-prod");
        Assert.Equal(0, exit);
        var newSecret = SecretPattern().Match(rotated).Value;
        Assert.NotEqual(oldSecret, newSecret);

        await using var server = await ScimServer.StartAsync([.. _storage.Args]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(oldSecret).GetAsync("Users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client(newSecret).GetAsync("Users")).StatusCode);

        // Both operator actions are in the audit trail, with who ran them and never a secret.
        var actions = (await server.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery { Kind = AuditKinds.OperatorAction }, CancellationToken.None))
            .Events.Select(e => e.Event).Where(e => e.Actor!.StartsWith("cli:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["connections rotate-secret okta-prod", "connections create okta-prod"], actions.Select(e => e.Action![(e.Action!.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
        Assert.All(actions, e => Assert.Equal("success", e.Outcome));
        var everything = await server.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery { Limit = 1000 }, CancellationToken.None);
        Assert.DoesNotContain(newSecret, System.Text.Json.JsonSerializer.Serialize(everything.Events), StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, System.Text.Json.JsonSerializer.Serialize(everything.Events), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, "connections", "create", "--name", "dup")]
    [InlineData(3, "connections", "rotate-secret", "--name", "missing")]
    [InlineData(2, "connections", "create", "--name", "bad name!")]
    public async Task Connections_Failures_HaveDistinctExitCodes(int expected, params string[] args)
    {
        await RunAsync("connections", "create", "--name", "dup");
        var (exit, _, error) = await RunAsync(args);
        Assert.Equal(expected, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Help_DescribesTheCommands()
    {
        var (exit, output, _) = await RunAsync("connections", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("rotate-secret", output, StringComparison.Ordinal);
        Assert.Contains("create", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredConnection_SecretFromEnvironment_Authenticates()
    {
        var variable = "SCIMBRIDGE_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            await using var server = await ScimServer.StartAsync(
                "--Connections:Declared:0:Name=entra-declared", "--Connections:Declared:0:Kind=entra",
                $"--Connections:Declared:0:SecretEnvironmentVariable={variable}");
            Assert.Equal(HttpStatusCode.OK, (await server.Client(secret).GetAsync("Users")).StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Start_WithDeclaredConnectionWhoseVariableIsMissing_FailsWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ScimServer.StartAsync(
            "--Connections:Declared:0:Name=broken", "--Connections:Declared:0:SecretEnvironmentVariable=SCIMBRIDGE_TEST_NOT_SET_ANYWHERE"));
        Assert.Contains("SCIMBRIDGE_TEST_NOT_SET_ANYWHERE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithInvalidLimit_FailsWithTheKeyInTheMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ScimServer.StartAsync("--Scim:MaxResults=0"));
        Assert.Contains("MaxResults", error.Message, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) =>
        CliProcess.RunAsync(_storage.DataDirectory, args.Concat(_storage.Args));

    [GeneratedRegex("scb_[A-Za-z0-9_-]+")]
    private static partial Regex SecretPattern();
}
