using Microsoft.Extensions.Options;
using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>Retention keeps the chain verifiable, options are checked on start, and the CLI verifies with exit codes.</summary>
public sealed class AuditOperationsTests
{
    [Fact]
    public async Task Retention_PrunesOldEvents_AndTheRestStillVerifies()
    {
        await using var server = await AuditHarness.StartAsync("--Audit:RetentionDays=30", "--Audit:PruneInterval=00:00:00.200");
        var now = DateTimeOffset.UtcNow;
        await AuditHarness.Log(server).AppendAsync([.. Enumerable.Range(1, 12).Select(i => AuditHarness.Event(i, occurred: now.AddDays(-60).AddMinutes(i)))], CancellationToken.None);
        await AuditHarness.Log(server).AppendAsync([.. Enumerable.Range(13, 8).Select(i => AuditHarness.Event(i, occurred: now.AddDays(-1)))], CancellationToken.None);

        // The leader-elected job's next tick prunes the 12 old ones and records that it did.
        var pruned = await AuditHarness.WaitForAsync(server, new AuditQuery { Kind = AuditKinds.AuditPruned }, 1);
        Assert.Equal(12, (int)System.Text.Json.Nodes.JsonNode.Parse(pruned[0].Event.Details!)!["deleted"]!);

        var anchor = await AuditHarness.Store(server).GetAnchorAsync(CancellationToken.None);
        Assert.Equal(12, anchor.BaseSequence);
        var remaining = await AuditHarness.Store(server).QueryAsync(new AuditQuery { Limit = 1000 }, CancellationToken.None);
        Assert.Equal(Enumerable.Range(13, 9).Select(i => (long)i).Reverse(), remaining.Events.Select(e => e.Sequence));

        var verification = await AuditHarness.VerifyAsync(server);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(9, verification.Checked);

        // Deleting the first kept event is still caught, right after the checkpoint.
        await AuditHarness.ExecuteAsync(server, "DELETE FROM audit_events WHERE seq = 13");
        Assert.Equal(13, (await AuditHarness.VerifyAsync(server)).FirstBrokenSequence);
    }

    [Fact]
    public async Task Prune_OfMoreThanOneChunk_DeletesThePrefixInSeveralTransactions()
    {
        await using var server = await AuditHarness.StartAsync();
        var old = DateTimeOffset.UtcNow.AddDays(-400);
        var log = AuditHarness.Log(server);
        var oldCount = ScimBridge.Persistence.Audit.AuditStore.PruneChunk + 500;
        for (var i = 0; i < oldCount; i += 1500)
        {
            await log.AppendAsync([.. Enumerable.Range(i, Math.Min(1500, oldCount - i)).Select(n => AuditHarness.Event(n, occurred: old))], CancellationToken.None);
        }

        // A young event, then an "old" one after it (a replica with a slow clock): the prefix stops at the young one.
        await log.AppendAsync([AuditHarness.Event(-1, occurred: DateTimeOffset.UtcNow), AuditHarness.Event(-2, occurred: old)], CancellationToken.None);

        var (deleted, baseSequence) = await AuditHarness.Store(server).PruneAsync(DateTimeOffset.UtcNow.AddDays(-30), CancellationToken.None);
        Assert.Equal((oldCount, (long)oldCount), (deleted, baseSequence));
        var verification = await AuditHarness.VerifyAsync(server);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(2, verification.Checked);
    }

    [Theory]
    [InlineData("--Audit:RetentionDays=-1", "RetentionDays")]
    [InlineData("--Audit:PruneInterval=00:00:00", "Audit:PruneInterval")]
    public async Task BadOptions_StopTheStart(string option, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AuditHarness.StartAsync(option));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliVerify_ExitsZeroWhenIntact_AndSixAtTheFirstBrokenLink()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using (var server = await AuditHarness.StartAsync([.. storage.Args]))
        {
            for (var i = 1; i <= 8; i++)
            {
                await AuditHarness.Log(server).AppendAsync([AuditHarness.Event(i)], CancellationToken.None);
            }
        }

        var (exit, output, _) = await RunCliAsync(storage, "audit", "verify");
        Assert.True(exit == 0, output);
        Assert.Contains("intact: 8 events", output, StringComparison.Ordinal);

        var (queryExit, table, _) = await RunCliAsync(storage, "audit", "query", "--limit", "3", "--format", "csv");
        Assert.Equal(0, queryExit);
        Assert.Equal(4, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var file = Path.Combine(storage.DataDirectory, "audit.jsonl");
        var (exportExit, _, _) = await RunCliAsync(storage, "audit", "export", "--format", "jsonl", "--output", file);
        Assert.Equal(0, exportExit);
        Assert.Equal(8, (await File.ReadAllLinesAsync(file)).Length);

        await AuditHarness.ExecuteAsync(storage, "UPDATE audit_events SET action = 'nothing to see' WHERE seq = 5");

        var (brokenExit, broken, _) = await RunCliAsync(storage, "audit", "verify");
        Assert.Equal(6, brokenExit);
        Assert.Contains("broken at 5: edited", broken, StringComparison.Ordinal);

        var (badExit, _, badError) = await RunCliAsync(storage, "audit", "query", "--from", "not-a-time");
        Assert.Equal(2, badExit);
        Assert.Contains("from must be an ISO 8601 time", badError, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunCliAsync(TestStorage storage, params string[] args) =>
        CliProcess.RunAsync(storage.DataDirectory, args.Concat(storage.Args));
}
