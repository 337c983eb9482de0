using System.Text.Json.Nodes;
using ScimBridge.Core.Audit;

namespace ScimBridge.Core.Tests.Audit;

public sealed class AuditVerifierTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Verify_IntactChain_ChecksEveryEvent()
    {
        var (anchor, records) = Chain(10);
        var result = await AuditVerifier.VerifyAsync(anchor, ToAsync(records), CancellationToken.None);
        Assert.True(result.Intact);
        Assert.Equal(10, result.Checked);
    }

    [Fact]
    public async Task Verify_EmptyChain_IsIntact()
    {
        var anchor = new AuditAnchor(0, AuditChain.Genesis, 0, AuditChain.Genesis);
        Assert.True((await AuditVerifier.VerifyAsync(anchor, ToAsync([]), CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Verify_EditedField_IsEditedAtThatEvent()
    {
        var (anchor, records) = Chain(10);
        records[6] = records[6] with { Event = records[6].Event with { Outcome = "failure" } };
        var result = await AuditVerifier.VerifyAsync(anchor, ToAsync(records), CancellationToken.None);
        Assert.Equal((7L, AuditBreak.Edited), (result.FirstBrokenSequence!.Value, result.Break!.Value));
    }

    [Fact]
    public async Task Verify_RehashedEdit_IsStillCaughtByTheNextLink()
    {
        // An attacker who edits event 4 and recomputes its hash breaks event 5's link instead.
        var (anchor, records) = Chain(10);
        var edited = records[3].Event with { Actor = "mallory" };
        records[3] = records[3] with { Event = edited, Hash = AuditChain.Hash(records[3].PreviousHash, edited) };
        var result = await AuditVerifier.VerifyAsync(anchor, ToAsync(records), CancellationToken.None);
        Assert.Equal((5L, AuditBreak.Reordered), (result.FirstBrokenSequence!.Value, result.Break!.Value));
    }

    [Fact]
    public async Task Verify_GapAndTruncation_AreReported()
    {
        var (anchor, records) = Chain(10);
        var gap = await AuditVerifier.VerifyAsync(anchor, ToAsync([.. records.Take(3), .. records.Skip(5)]), CancellationToken.None);
        Assert.Equal((4L, AuditBreak.Missing), (gap.FirstBrokenSequence!.Value, gap.Break!.Value));
        Assert.Contains("events 4 to 5", gap.Detail, StringComparison.Ordinal);

        var cut = await AuditVerifier.VerifyAsync(anchor, ToAsync([.. records.Take(8)]), CancellationToken.None);
        Assert.Equal((9L, AuditBreak.Truncated), (cut.FirstBrokenSequence!.Value, cut.Break!.Value));
    }

    [Fact]
    public async Task Verify_FromAPrunedBase_StartsAtTheCheckpoint()
    {
        var (_, records) = Chain(10);
        var anchor = new AuditAnchor(4, records[3].Hash, 10, records[9].Hash);
        var result = await AuditVerifier.VerifyAsync(anchor, ToAsync([.. records.Skip(4)]), CancellationToken.None);
        Assert.True(result.Intact, result.Detail);
        Assert.Equal(6, result.Checked);
    }

    [Fact]
    public void Hash_IsStableForEqualEvents_AndCoversEveryField()
    {
        var e = Event(1);
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, e), AuditChain.Hash(AuditChain.Genesis, e with { }));
        var variants = new[]
        {
            e with { Occurred = e.Occurred.AddTicks(1) }, e with { Kind = "x" }, e with { Actor = null }, e with { Connection = "c" }, e with { Target = "t" },
            e with { ResourceType = "r" }, e with { ResourceId = "i" }, e with { Action = "a" }, e with { Outcome = "o" }, e with { RequestId = "q" },
            e with { Details = "{}" },
        };
        var hashes = variants.Select(v => AuditChain.Hash(AuditChain.Genesis, v)).Append(AuditChain.Hash(AuditChain.Genesis, e)).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());

        // Null and empty differ (a field cannot be blanked unnoticed).
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, e with { Actor = null }), AuditChain.Hash(AuditChain.Genesis, e with { Actor = "" }));
    }

    [Fact]
    public void PlatformChange_RedactsSecretNamedFields_AtAnyDepth()
    {
        var after = new { id = "key_1", name = "ci", api_key = "sk-live-123", owner = new { password = "hunter2", email = "a@b.c" }, keys = new[] { new { secret = "s3" } } };
        var e = AuditEvents.PlatformChange("openai", "api_key", "key_1", "issue", null, after, "applied", Guid.Empty);
        Assert.DoesNotContain("sk-live-123", e.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("s3\"", e.Details, StringComparison.Ordinal);
        var details = JsonNode.Parse(e.Details!)!;
        Assert.Equal("ci", (string?)details["after"]!["name"]);
        Assert.Equal("a@b.c", (string?)details["after"]!["owner"]!["email"]);
        Assert.Equal("[redacted]", (string?)details["after"]!["api_key"]);
        Assert.Null(details["before"]);
    }

    [Fact]
    public void ReconcileRun_CarriesTriggerModeAndCounts()
    {
        var run = Guid.NewGuid();
        var e = AuditEvents.ReconcileRun(run, "anthropic", "schedule", dryRun: true, "succeeded", new Dictionary<string, int> { ["planned"] = 3, ["applied"] = 0 });
        Assert.Equal((AuditKinds.ReconcileRun, "schedule", "anthropic", run.ToString(), "dry-run", "succeeded"), (e.Kind, e.Actor, e.Target, e.ResourceId, e.Action, e.Outcome));
        Assert.Equal("""{"trigger":"schedule","dryRun":true,"counts":{"applied":0,"planned":3}}""", e.Details);
    }

    private static AuditEvent Event(int i) =>
        new(At.AddSeconds(i), AuditKinds.OperatorAction, "alice", null, null, "work", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "POST /admin/work", "success", "req", "{\"i\":1}");

    private static (AuditAnchor Anchor, List<AuditRecord> Records) Chain(int count)
    {
        var records = AuditChain.Seal(0, AuditChain.Genesis, Enumerable.Range(1, count).Select(Event));
        return (new AuditAnchor(0, AuditChain.Genesis, count, records[^1].Hash), records);
    }

    private static async IAsyncEnumerable<AuditRecord> ToAsync(IEnumerable<AuditRecord> records)
    {
        foreach (var record in records)
        {
            yield return record;
        }

        await Task.CompletedTask;
    }
}
