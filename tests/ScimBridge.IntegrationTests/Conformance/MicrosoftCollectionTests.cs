using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Conformance;

/// <summary>
/// Runs Microsoft's SCIM reference Postman collection (../shared/conformance) with newman against a fresh server.
/// Every failed assertion must be listed in tests/conformance/stale-assertions.json (an assertion that contradicts
/// RFC 7643/7644), and every listed assertion must still fail, so the list cannot go stale itself.
/// </summary>
public sealed class MicrosoftCollectionTests
{
    private static readonly TimeSpan NewmanTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Microsoft_reference_collection_fails_only_on_listed_stale_assertions()
    {
        var repoRoot = RepoRoot();
        var newman = Environment.GetEnvironmentVariable("SCIMBRIDGE_NEWMAN") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(repoRoot, ".tools", "node_modules", ".bin", "newman");
        Assert.True(File.Exists(newman), $"newman not found at '{newman}'. Run ./test.sh (it installs newman into .tools/ and sets SCIMBRIDGE_NEWMAN).");

        var collectionPath = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "conformance", "microsoft-scim-reference.postman_collection.json"));
        Assert.True(File.Exists(collectionPath), $"The conformance collection is missing: {collectionPath}");
        var stale = LoadStaleList(Path.Combine(repoRoot, "tests", "conformance", "stale-assertions.json"));

        var work = Directory.CreateTempSubdirectory("scimbridge-newman-").FullName;
        try
        {
            var filteredCollection = Path.Combine(work, "collection.json");
            var collection = JsonNode.Parse(await File.ReadAllTextAsync(collectionPath))!.AsObject();
            WithoutGetToken(collection);
            await File.WriteAllTextAsync(filteredCollection, collection.ToJsonString());
            var reportPath = Path.Combine(work, "report.json");

            await using var server = await ScimServer.StartAsync();
            var connection = await server.CreateConnectionAsync("newman-conformance");
            var (exitCode, output) = await RunNewmanAsync(newman, work, [
                "run", filteredCollection,
                "--env-var", "Protocol=http",
                "--env-var", "Server=127.0.0.1",
                "--env-var", $"Port=:{server.BaseAddress.Port}",
                "--env-var", "Api=scim/v2",
                "--env-var", $"token={connection.Secret}",
                "--color", "off",
                "--reporters", "cli,json",
                "--reporter-json-export", reportPath,
            ]);

            Assert.True(File.Exists(reportPath), $"newman wrote no JSON report (exit code {exitCode}).\n{output}");
            var report = JsonNode.Parse(await File.ReadAllTextAsync(reportPath))!;
            var failures = Failures(report);
            Assert.True(failures.Count > 0 || exitCode == 0, $"newman exited with {exitCode} but reported no failures.\n{output}");

            var unexpected = failures.Where(f => !stale.Contains(f.Key)).ToList();
            Assert.True(unexpected.Count == 0,
                "Failed assertions that are not listed as stale in tests/conformance/stale-assertions.json "
                + "(fix the server, or list them with the RFC section that makes the assertion wrong):\n"
                + string.Join('\n', unexpected.Select(f => $"  {f.Key} -> {f.Message}"))
                + $"\n\nnewman output:\n{output}");

            var failedKeys = failures.Select(f => f.Key).ToHashSet();
            var nowPassing = stale.Where(s => !failedKeys.Contains(s)).ToList();
            Assert.True(nowPassing.Count == 0,
                "Assertions listed as stale in tests/conformance/stale-assertions.json that did not fail; remove them from the list:\n"
                + string.Join('\n', nowPassing.Select(s => $"  {s}"))
                + $"\n\nnewman output:\n{output}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Walks up from the test binary to the folder holding ScimBridge.sln. When the build output lives outside the
    /// repository (--artifacts-path /tmp/…), falls back to this source file's folder and then the working directory.
    /// </summary>
    private static string RepoRoot([CallerFilePath] string sourceFile = "")
    {
        string?[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile), Environment.CurrentDirectory];
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ScimBridge.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No folder containing ScimBridge.sln above {AppContext.BaseDirectory} or {sourceFile}.");
    }

    /// <summary>Drops the "Get Token" folder/item: the collection's token endpoint is the reference server's own.</summary>
    private static void WithoutGetToken(JsonObject node)
    {
        if (node["item"] is not JsonArray items)
        {
            return;
        }

        foreach (var item in items.OfType<JsonObject>().ToList())
        {
            if (string.Equals(((string?)item["name"])?.Trim(), "Get Token", StringComparison.Ordinal))
            {
                items.Remove(item);
            }
            else
            {
                WithoutGetToken(item);
            }
        }
    }

    private static HashSet<AssertionKey> LoadStaleList(string path)
    {
        Assert.True(File.Exists(path), $"Missing {path}");
        var set = new HashSet<AssertionKey>();
        foreach (var entry in JsonNode.Parse(File.ReadAllText(path))!["stale"]!.AsArray())
        {
            var reason = (string?)entry!["reason"];
            var key = new AssertionKey((string?)entry["folder"] ?? "", (string)entry["item"]!, (string)entry["assertion"]!);
            Assert.False(string.IsNullOrWhiteSpace(reason), $"Stale assertion {key} has no reason.");
            Assert.True(reason.Contains("RFC 764", StringComparison.Ordinal) && reason.Contains('§', StringComparison.Ordinal),
                $"The reason for stale assertion {key} must cite an RFC 7643/7644 section: {reason}");
            Assert.True(set.Add(key), $"Stale assertion {key} is listed twice.");
        }

        return set;
    }

    private static List<(AssertionKey Key, string Message)> Failures(JsonNode report)
    {
        var failures = new List<(AssertionKey, string)>();
        foreach (var failure in report["run"]!["failures"]!.AsArray())
        {
            var error = failure!["error"]!;
            var key = new AssertionKey(
                (string?)failure["parent"]?["name"] ?? "",
                (string?)failure["source"]?["name"] ?? "",
                (string?)error["test"] ?? $"<{(string?)error["name"]} at {(string?)failure["at"]}>");
            failures.Add((key, $"{(string?)error["name"]}: {(string?)error["message"]}"));
        }

        return failures;
    }

    private static async Task<(int ExitCode, string Output)> RunNewmanAsync(string newman, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(newman)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(NewmanTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"newman did not finish within {NewmanTimeout}.\n{await stdout}\n{await stderr}");
        }

        var output = new StringBuilder(await stdout);
        var errors = await stderr;
        if (errors.Length > 0)
        {
            output.Append("\n[stderr]\n").Append(errors);
        }

        return (process.ExitCode, output.ToString());
    }

    private readonly record struct AssertionKey(string Folder, string Item, string Assertion)
    {
        public override string ToString() => $"\"{Folder} / {Item}\" : \"{Assertion}\"";
    }
}
