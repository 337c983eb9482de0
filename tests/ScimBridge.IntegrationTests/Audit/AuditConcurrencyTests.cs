using ScimBridge.Core.Audit;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Audit;

/// <summary>Writers racing for the chain: on PostgreSQL two ScimBridge servers on one database, on SQLite many writers in one.</summary>
public sealed class AuditConcurrencyTests
{
    [Fact]
    public async Task TwoWritersRacing_ProduceOneVerifiableChain()
    {
        await using var a = await AuditHarness.StartAsync();

        // On PostgreSQL the second server is a second replica of the same database, with its own writer and pool. SQLite
        // is one process's file (a second process writing it is not a supported deployment), so there the race is
        // between the two halves of the load sharing one server.
        await using var b = ScimServer.Backend == TestStorage.Postgres ? await AuditHarness.StartAsync($"--Storage:ConnectionString={a.ConnectionString}") : null;
        var logs = new[] { AuditHarness.Log(a), AuditHarness.Log(b ?? a) };
        using var clientA = await a.ClientAsync(Core.Connections.IdpKind.Entra, "race");
        using var clientB = (b ?? a).Client(clientA.DefaultRequestHeaders.Authorization!.Parameter);

        const int PerWriter = 300;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, PerWriter / 3), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                await logs[w].AppendAsync([AuditHarness.Event((w * 10_000) + (i * 3)), AuditHarness.Event((w * 10_000) + (i * 3) + 1)], ct);
                logs[w].Record(AuditHarness.Event((w * 10_000) + (i * 3) + 2));
            });
        }));
        var scim = Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? clientA : clientB).CreateUserAsync($"racer{i}@contoso.com"));
        await Task.WhenAll([.. writers, .. scim]);

        await AuditHarness.WaitForAsync(a, new AuditQuery { Kind = AuditKinds.OperatorAction }, 2 * PerWriter);
        var verification = await AuditHarness.VerifyAsync(a);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(verification.HeadSequence, verification.Checked);
        Assert.True(verification.HeadSequence >= (2 * PerWriter) + 30, $"head {verification.HeadSequence}");

        // Every event once: the sequence is dense and no event was sealed twice by the two writers.
        var all = new List<AuditRecord>();
        await foreach (var record in AuditHarness.Store(a).ReadAsync(new AuditQuery(), 0, CancellationToken.None))
        {
            all.Add(record);
        }

        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(r => r.Sequence));
        var operatorIds = all.Where(r => r.Event.Kind == AuditKinds.OperatorAction).Select(r => r.Event.ResourceId).ToList();
        Assert.Equal(2 * PerWriter, operatorIds.Count);
        Assert.Equal(operatorIds.Count, operatorIds.Distinct().Count());
        Assert.Equal(30, all.Count(r => r.Event is { Kind: AuditKinds.ScimRequest, Action: "create", Outcome: "success" }));
    }
}
