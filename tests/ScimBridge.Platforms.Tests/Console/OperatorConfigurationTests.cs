using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Hosting;
using ScimBridge.Api.Operators;
using ScimBridge.Platforms.Tests.Scim;

namespace ScimBridge.Platforms.Tests.Console;

/// <summary>The throttle on failed sign-ins, start-up validation of Admin:*, the password hash format and its CLI.</summary>
public sealed class OperatorConfigurationTests
{
    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_address_without_throttling_scim()
    {
        await using var server = await ScimBridgeServer.StartAsync([.. ConsoleOperators.Args(), "--Auth:MaxFailuresPerWindow=3", "--Auth:FailureWindowSeconds=300"]);
        using var client = ConsoleOperators.Client(server.Root);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("console/api/sign-in", new { name = "alice", password = $"guess-{i}-aaaaaaaa" })).StatusCode);
        }

        // Now even the right password waits: the address is blocked before any hash is computed.
        using var blocked = await client.PostAsJsonAsync("console/api/sign-in", new { name = "alice", password = ConsoleOperators.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        using var token = ConsoleOperators.Client(server.Root, ConsoleOperators.Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await token.GetAsync("admin/runs")).StatusCode);

        // SCIM keeps its own counters: the IdP's provisioning from this address is not held up.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("Users?count=1")).StatusCode);
    }

    [Fact]
    public async Task With_no_operator_credential_configured_the_admin_api_is_disabled_with_403()
    {
        await using var server = await ScimBridgeServer.StartAsync();
        using var client = ConsoleOperators.Client(server.Root, "anything-at-all");
        using var response = await client.GetAsync("admin/runs");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Admin API disabled", (string)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["title"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("console/api/sign-in", new { name = "a", password = "b" })).StatusCode);
    }

    [Theory]
    [InlineData("--Admin:Operators:0:Role=owner", "Admin:Operators:0:Role is 'owner'")]
    [InlineData("--Admin:Operators:0:PasswordHash=not-a-hash", "Admin:Operators:0:PasswordHash is not base64")]
    [InlineData("--Admin:Operators:0:PasswordHash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Admin:Operators:0:PasswordHash is not an ASP.NET Core Identity version 3 hash")]
    [InlineData("--Admin:Jwt:Audience=", "Admin:Jwt:Audience is required")]
    [InlineData("--Admin:Jwt:Authority=http://idp.example.test", "Admin:Jwt:Authority 'http://idp.example.test' is not an absolute https URL")]
    [InlineData("--Admin:Session:Key=c2hvcnQ=", "Admin:Session:Key must be base64 of at least 32 bytes")]
    [InlineData("--Admin:Operators:1:Name=ALICE", "names operator 'alice' more than once")]
    public async Task A_bad_operator_setting_stops_the_start_naming_the_key(string setting, string message)
    {
        var data = Directory.CreateTempSubdirectory("scimbridge-operators-").FullName;
        try
        {
            await using var app = ScimBridgeHost.Build(
                ["--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", data, "--Storage:ConnectionString=", "--Logging:LogLevel:Default=None", .. ConsoleOperators.Args(), setting]);
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ConsoleOperators.AdminHash, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task No_password_token_cookie_or_csrf_token_reaches_a_log_line_at_any_level()
    {
        var logs = new Contract.CapturedLogs();
        var data = Directory.CreateTempSubdirectory("scimbridge-operators-").FullName;
        try
        {
            await using var app = ScimBridgeHost.Build(
                ["--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", data, "--Storage:ConnectionString=", "--Logging:LogLevel:Default=Trace", .. ConsoleOperators.Args()],
                builder => builder.Logging.AddProvider(logs));
            await app.StartAsync();
            var root = new Uri(app.Urls.Single().TrimEnd('/') + "/");
            using var anonymous = ConsoleOperators.Client(root);
            await anonymous.PostAsJsonAsync("console/api/sign-in", new { name = "alice", password = "alice-wrong-horse-42" });
            using var session = await ConsoleOperators.SignInAsync(root, ConsoleOperators.AdminName, ConsoleOperators.AdminPassword);
            await session.Client.SendAsync(ConsoleSession.Post("admin/work/1/retry", session.Csrf));
            var jwt = ConsoleOperators.Jwt(OperatorJwtOptions.DefaultAdminRole);
            using var automation = ConsoleOperators.Client(root, jwt);
            await automation.GetAsync("admin/runs");
            using var wrong = ConsoleOperators.Client(root, "operator-console-token-wrong-0000");
            await wrong.GetAsync("admin/runs");
            using var token = ConsoleOperators.Client(root, ConsoleOperators.Token);
            await token.GetAsync("admin/runs");
            await session.Client.SendAsync(ConsoleSession.Post("console/api/sign-out", session.Csrf));
            await app.StopAsync();

            Assert.Contains(logs.Lines, l => l.Contains("Operator alice signed in", StringComparison.Ordinal));
            Assert.Contains(logs.Lines, l => l.Contains("Console sign-in refused for alice", StringComparison.Ordinal));
            var cookie = session.SetCookie.Split(';')[0].Split('=', 2)[1];
            foreach (var secret in new[] { "alice-wrong-horse-42", ConsoleOperators.AdminPassword, cookie, cookie.Split('.')[1], session.Csrf, jwt.Split('.')[2], ConsoleOperators.Token, "operator-console-token-wrong-0000" })
            {
                Assert.Empty(logs.Containing(secret));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_hash_verifies_its_password_only_and_older_identity_v3_hashes_are_accepted()
    {
        var hash = OperatorPasswordHasher.Hash("a long enough password");
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1))); // HMAC-SHA512
        Assert.Equal((uint)OperatorPasswordHasher.Iterations, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        Assert.True(OperatorPasswordHasher.Verify(hash, "a long enough password"));
        Assert.False(OperatorPasswordHasher.Verify(hash, "a long enough passworD"));
        Assert.NotEqual(hash, OperatorPasswordHasher.Hash("a long enough password")); // salted

        // What ASP.NET Core Identity's PasswordHasher wrote before .NET 7: HMAC-SHA256, 10,000 rounds, 16-byte salt.
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2("legacy password", salt, 10_000, HashAlgorithmName.SHA256, 32);
        byte[] legacy = [0x01, 0, 0, 0, 1, 0, 0, 0x27, 0x10, 0, 0, 0, 16, .. salt, .. subkey];
        Assert.Null(OperatorPasswordHasher.Problem(Convert.ToBase64String(legacy)));
        Assert.True(OperatorPasswordHasher.Verify(Convert.ToBase64String(legacy), "legacy password"));

        byte[] weak = [.. legacy];
        weak[7] = 0x03; // 1,000 rounds
        weak[8] = 0xE8;
        Assert.Contains("1000 PBKDF2 iterations", OperatorPasswordHasher.Problem(Convert.ToBase64String(weak)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_password_reads_standard_input_and_prints_a_hash_that_signs_in()
    {
        var (exit, output, error) = await RunCliAsync("a-password-from-stdin-123\n");
        Assert.Equal(0, exit);
        var hash = output.Trim();
        Assert.Null(OperatorPasswordHasher.Problem(hash));
        Assert.True(OperatorPasswordHasher.Verify(hash, "a-password-from-stdin-123"));
        Assert.DoesNotContain("a-password-from-stdin-123", output + error, StringComparison.Ordinal);

        var tooShort = await RunCliAsync("short\n");
        Assert.Equal(2, tooShort.Exit);
        Assert.Empty(tooShort.Output);
    }

    private static async Task<(int Exit, string Output, string Error)> RunCliAsync(string stdin)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scimbridge.dll"));
        start.ArgumentList.Add("operators");
        start.ArgumentList.Add("hash-password");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
