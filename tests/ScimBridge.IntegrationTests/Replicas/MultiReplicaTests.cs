using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Replicas;

/// <summary>
/// Two ScimBridge processes over one PostgreSQL database, with Entra-like traffic split across them: the final state
/// must equal what a serial run gives, and killing a replica mid-run must lose nothing it acknowledged.
/// </summary>
[Trait("Category", "PostgresOnly")]
public sealed class MultiReplicaTests
{
    private const int Users = 120;

    [Fact]
    public async Task ConcurrentWritesAcrossReplicas_EndInTheSerialState()
    {
        await using var database = await TestDatabase.CreateAsync();
        // Both replicas start at the same moment on an empty database: migrations must not race (advisory lock).
        var starting = await Task.WhenAll(ReplicaProcess.StartAsync(database.ConnectionString), ReplicaProcess.StartAsync(database.ConnectionString));
        await using var a = starting[0];
        await using var b = starting[1];
        var secret = await ReplicaProcess.CreateConnectionAsync(database.ConnectionString, "entra-replicas");
        using var clientA = a.Client(secret);
        using var clientB = b.Client(secret);
        HttpClient Replica(int i) => i % 2 == 0 ? clientA : clientB;

        // Users created through both replicas at once.
        var ids = await Parallel(Users, async i => (string)(await Replica(i).CreateUserAsync($"user{i}@contoso.com"))["id"]!);

        // The same userName sent to both replicas at the same moment: exactly one wins, the other gets 409.
        var duplicates = await Parallel(20, async i =>
        {
            var body = new JsonObject { ["userName"] = $"race{i}@contoso.com" };
            var results = await Task.WhenAll(
                clientA.SendAsync(HttpMethod.Post, "Users", body.DeepClone()),
                clientB.SendAsync(HttpMethod.Post, "Users", body.DeepClone()));
            return results.Select(r => (int)r.Response.StatusCode).Order().ToArray();
        });
        Assert.All(duplicates, statuses => Assert.Equal([201, 409], statuses));

        // One group; every user added by its own PATCH, from both replicas concurrently.
        var group = await clientA.CreateGroupAsync("AI-OpenAI-Research");
        var groupId = (string)group["id"]!;
        await Parallel(Users, async i =>
        {
            var (response, _) = await Replica(i + 1).SendAsync(HttpMethod.Patch, $"Groups/{groupId}", MemberPatch("add", ids[i]));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            return 0;
        });

        // Then concurrent removals of the first 30, interleaved with renames of the group from both replicas.
        await Parallel(30, async i =>
        {
            var remove = Replica(i).SendAsync(HttpMethod.Patch, $"Groups/{groupId}", MemberPatch("remove", ids[i]));
            var rename = Replica(i + 1).SendAsync(HttpMethod.Patch, $"Groups/{groupId}", JsonNode.Parse(
                $$"""{"Operations":[{"op":"replace","path":"externalId","value":"ext-{{i}}"}]}"""));
            Assert.Equal(HttpStatusCode.NoContent, (await remove).Response.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await rename).Response.StatusCode);
            return 0;
        });

        // Concurrent PATCHes of different attributes of one user, from both replicas: a lost update would drop one.
        string[] attributes =
        [
            "title", "nickName", "displayName", "userType", "preferredLanguage", "locale", "timezone",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        ];
        await Parallel(attributes.Length, async i =>
        {
            var (response, _) = await Replica(i).SendAsync(HttpMethod.Patch, $"Users/{ids[0]}", JsonNode.Parse(
                $$"""{"Operations":[{"op":"replace","path":"{{attributes[i]}}","value":"v{{i}}"}]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return 0;
        });
        var (_, patchedUser) = await clientB.SendAsync(HttpMethod.Get, $"Users/{ids[0]}");
        Assert.Equal("v0", (string?)patchedUser!["title"]);
        Assert.Equal("v6", (string?)patchedUser["timezone"]);
        Assert.Equal("v11", (string?)patchedUser["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["department"]);
        Assert.Equal(5, patchedUser["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!.AsObject().Count);
        Assert.Equal($"W/\"{1 + attributes.Length}\"", (string?)patchedUser["meta"]!["version"]);

        // The serial outcome: users 30..119 are members, nobody else; every user exists once.
        foreach (var client in new[] { clientA, clientB })
        {
            var (_, read) = await client.SendAsync(HttpMethod.Get, $"Groups/{groupId}");
            var members = read!["members"]!.AsArray().Select(m => (string)m!["value"]!).ToHashSet();
            Assert.Equal(ids.Skip(30).ToHashSet(), members);
            Assert.StartsWith("ext-", (string?)read["externalId"], StringComparison.Ordinal);

            var (_, list) = await client.SendAsync(HttpMethod.Get, "Users?count=0");
            Assert.Equal(Users + 20, (int)list!["totalResults"]!);
        }
    }

    [Fact]
    public async Task ReplicaKilledMidRun_LosesNothingItAcknowledged()
    {
        await using var database = await TestDatabase.CreateAsync();
        var secret = await ReplicaProcess.CreateConnectionAsync(database.ConnectionString, "entra-crash");
        await using var survivor = await ReplicaProcess.StartAsync(database.ConnectionString);
        await using var victim = await ReplicaProcess.StartAsync(database.ConnectionString);
        using var clientSurvivor = survivor.Client(secret);
        using var clientVictim = victim.Client(secret);

        var acknowledged = new ConcurrentBag<(string UserName, string Id)>();
        var completed = 0;
        var load = Parallel(400, async i =>
        {
            var client = i % 2 == 0 ? clientSurvivor : clientVictim;
            var userName = $"crash{i}@contoso.com";
            try
            {
                var (response, body) = await client.SendAsync(HttpMethod.Post, "Users", new JsonObject { ["userName"] = userName });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((userName, (string)body!["id"]!));
                }
            }
            catch (HttpRequestException)
            {
                // The killed replica drops its connections: those requests were never acknowledged.
            }
            catch (TaskCanceledException)
            {
            }

            Interlocked.Increment(ref completed);
            return 0;
        });

        while (Volatile.Read(ref completed) < 100)
        {
            await Task.Delay(5);
        }

        victim.Kill();
        await load;

        Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} creates were acknowledged");
        foreach (var (userName, id) in acknowledged)
        {
            var (response, body) = await clientSurvivor.SendAsync(HttpMethod.Get, $"Users/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(userName, (string?)body!["userName"]);
        }
    }

    private static JsonNode MemberPatch(string op, string id) =>
        JsonNode.Parse($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"{{op}}","path":"members","value":[{"value":"{{id}}"}]}]}""")!;

    /// <summary>Runs <paramref name="work"/> for 0..count-1 with 16 in flight, returning results in index order.</summary>
    private static async Task<T[]> Parallel<T>(int count, Func<int, Task<T>> work)
    {
        var results = new T[count];
        await System.Threading.Tasks.Parallel.ForEachAsync(
            Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => results[i] = await work(i));
        return results;
    }
}
