using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>The chain on the real database (SQLite, and PostgreSQL in ./test.sh's second pass): intact after many writes, each tampering found at its place.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private ScimServer _server = null!;

    public async Task InitializeAsync() => _server = await AuditHarness.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ManyMixedWrites_OneIntactChain()
    {
        var log = AuditHarness.Log(_server);
        using var scim = await _server.ClientAsync(Core.Connections.IdpKind.Entra, "entra-mixed");

        // Durable appends (batches of several), queued reads and real SCIM traffic, all at once.
        var appends = Enumerable.Range(0, 40).Select(i => log.AppendAsync([.. Enumerable.Range(0, 5).Select(j => AuditHarness.Event((i * 5) + j))], CancellationToken.None));
        var records = Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                log.Record(AuditHarness.Event(1000 + i, AuditKinds.ScimRequest));
            }
        });
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            var created = await scim.CreateUserAsync($"mixed{i}@contoso.com");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await scim.GetAsync($"Users/{created["id"]}")).StatusCode);
        });
        await Task.WhenAll([.. appends, records, .. requests]);

        // 200 appended + 300 recorded + 20 creates + 20 reads (+ the connection lookups the test made are not SCIM requests).
        await AuditHarness.WaitForAsync(_server, new AuditQuery { Connection = "entra-mixed" }, 40);
        await AuditHarness.WaitForAsync(_server, new AuditQuery { Kind = AuditKinds.ScimRequest, Connection = "entra-prod" }, 300);

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.True(verification.Intact, verification.Detail);
        Assert.True(verification.HeadSequence >= 540, $"head {verification.HeadSequence}");
        Assert.Equal(verification.HeadSequence, verification.Checked);
    }

    [Fact]
    public async Task LongChain_VerifiesAndExportsAcrossReadPages()
    {
        // More events than one read page (1,000), appended in batches larger than one group commit (512).
        var log = AuditHarness.Log(_server);
        for (var batch = 0; batch < 4; batch++)
        {
            await log.AppendAsync([.. Enumerable.Range(batch * 700, 700).Select(i => AuditHarness.Event(i))], CancellationToken.None);
        }

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(2800, verification.Checked);

        using var admin = AuditHarness.Admin(_server);
        var lines = (await admin.GetStringAsync("admin/audit/export?format=jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2800, lines.Length);
        Assert.Equal("id-2799", (string?)System.Text.Json.Nodes.JsonNode.Parse(lines[^1])!["resourceId"]);

        await AuditHarness.ExecuteAsync(_server, "DELETE FROM audit_events WHERE seq = 2001");
        Assert.Equal((2001L, AuditBreak.Missing), ((await AuditHarness.VerifyAsync(_server)).FirstBrokenSequence!.Value, (await AuditHarness.VerifyAsync(_server)).Break!.Value));
    }

    [Fact]
    public async Task EditedRow_IsFoundAtItsSequence()
    {
        await AppendTwentyAsync();
        Assert.Equal(1, await AuditHarness.ExecuteAsync(_server, "UPDATE audit_events SET outcome = 'success' WHERE seq = 10"));

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.False(verification.Intact);
        Assert.Equal(10, verification.FirstBrokenSequence);
        Assert.Equal(AuditBreak.Edited, verification.Break);
        Assert.Equal(9, verification.Checked);
    }

    [Fact]
    public async Task EditedDetails_IsFoundAtItsSequence()
    {
        await AppendTwentyAsync();
        await AuditHarness.ExecuteAsync(_server, """UPDATE audit_events SET details = '{"i":999}' WHERE seq = 17""");

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.Equal((17L, AuditBreak.Edited), (verification.FirstBrokenSequence!.Value, verification.Break!.Value));
    }

    [Fact]
    public async Task DeletedRow_IsFoundAsMissing()
    {
        await AppendTwentyAsync();
        await AuditHarness.ExecuteAsync(_server, "DELETE FROM audit_events WHERE seq = 6");

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.Equal((6L, AuditBreak.Missing), (verification.FirstBrokenSequence!.Value, verification.Break!.Value));
    }

    [Fact]
    public async Task SwappedRows_AreFoundAsReordered()
    {
        await AppendTwentyAsync();

        // Swap events 12 and 13 (their numbers; the rows keep their content and hashes).
        await AuditHarness.ExecuteAsync(_server, "UPDATE audit_events SET seq = -12 WHERE seq = 12");
        await AuditHarness.ExecuteAsync(_server, "UPDATE audit_events SET seq = 12 WHERE seq = 13");
        await AuditHarness.ExecuteAsync(_server, "UPDATE audit_events SET seq = 13 WHERE seq = -12");

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.Equal((12L, AuditBreak.Reordered), (verification.FirstBrokenSequence!.Value, verification.Break!.Value));
    }

    [Fact]
    public async Task DeletedAndRenumbered_IsFoundAsReordered()
    {
        await AppendTwentyAsync();

        // Hiding a deletion: remove 15 and shift 16..20 down by one (head moved too), so the numbers run without a gap.
        await AuditHarness.ExecuteAsync(_server, "DELETE FROM audit_events WHERE seq = 15");
        for (var seq = 16; seq <= 20; seq++)
        {
            await AuditHarness.ExecuteAsync(_server, $"UPDATE audit_events SET seq = {seq - 1} WHERE seq = {seq}");
        }

        await AuditHarness.ExecuteAsync(_server, "UPDATE audit_chain SET head_seq = 19, head_hash = (SELECT hash FROM audit_events WHERE seq = 19)");

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.Equal((15L, AuditBreak.Reordered), (verification.FirstBrokenSequence!.Value, verification.Break!.Value));
    }

    [Fact]
    public async Task DeletedNewestEvents_AreFoundAsTruncated()
    {
        await AppendTwentyAsync();
        await AuditHarness.ExecuteAsync(_server, "DELETE FROM audit_events WHERE seq >= 18");

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.Equal((18L, AuditBreak.Truncated), (verification.FirstBrokenSequence!.Value, verification.Break!.Value));
    }

    [Fact]
    public async Task VerifyEndpoint_ReportsIntactThenTheFirstBrokenLink()
    {
        await AppendTwentyAsync();
        using var admin = AuditHarness.Admin(_server);
        var intact = await AuditHarness.GetJsonAsync(admin, "admin/audit/verify");
        Assert.True((bool)intact["intact"]!);
        Assert.Equal(20, (long)intact["headSequence"]!);

        await AuditHarness.ExecuteAsync(_server, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4");
        var broken = await AuditHarness.GetJsonAsync(admin, "admin/audit/verify");
        Assert.False((bool)broken["intact"]!);
        Assert.Equal(4, (long)broken["firstBrokenSequence"]!);
        Assert.Equal("edited", (string?)broken["break"]);
    }

    private async Task AppendTwentyAsync()
    {
        // Sequential appends: the test's tampering refers to exact sequence numbers.
        for (var i = 1; i <= 20; i++)
        {
            await AuditHarness.Log(_server).AppendAsync([AuditHarness.Event(i)], CancellationToken.None);
        }

        var verification = await AuditHarness.VerifyAsync(_server);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(20, verification.HeadSequence);
    }
}
