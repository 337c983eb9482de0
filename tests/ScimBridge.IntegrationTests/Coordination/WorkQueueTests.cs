using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Persistence;
using ScimBridge.Persistence.Coordination;

namespace ScimBridge.IntegrationTests.Coordination;

/// <summary>The work queue on SQLite: one process, so both "replicas" are the one database.</summary>
public sealed class SqliteWorkQueueTests : WorkQueueContract, IAsyncLifetime
{
    private TemporarySqlite _sqlite = null!;

    private protected override IStoreDatabase ReplicaA => _sqlite.Database;

    private protected override IStoreDatabase ReplicaB => _sqlite.Database;

    public async Task InitializeAsync() => _sqlite = await TemporarySqlite.CreateAsync();

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    private protected override WorkQueue Queue(IStoreDatabase database, TimeProvider clock) =>
        new SqliteWorkQueue(database, clock, NullLogger<SqliteWorkQueue>.Instance);
}

/// <summary>The work queue on PostgreSQL, two replicas on two connection pools of one fresh database.</summary>
[Trait("Category", "PostgresOnly")]
public sealed class PostgresWorkQueueTests(PostgresCoordinationFixture postgres) : WorkQueueContract, IClassFixture<PostgresCoordinationFixture>
{
    private readonly IStoreDatabase _a = PostgresCoordinationFixture.Database(postgres.ReplicaA);
    private readonly IStoreDatabase _b = PostgresCoordinationFixture.Database(postgres.ReplicaB);

    private protected override IStoreDatabase ReplicaA => _a;

    private protected override IStoreDatabase ReplicaB => _b;

    private protected override WorkQueue Queue(IStoreDatabase database, TimeProvider clock) =>
        new PostgresWorkQueue(database, clock, NullLogger<PostgresWorkQueue>.Instance);
}
