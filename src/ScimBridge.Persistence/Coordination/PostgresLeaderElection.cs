using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ScimBridge.Core.Coordination;

namespace ScimBridge.Persistence.Coordination;

/// <summary>
/// Leader election through a PostgreSQL session-level advisory lock. The leader keeps one connection open for as long
/// as it leads; PostgreSQL drops the lock the moment that session ends (process killed, connection cut, backend
/// terminated), which is the takeover: the next TryAcquire on any replica gets it. No lock table, no expiry to tune.
/// </summary>
/// <remarks>
/// Session locks need a real session: behind PgBouncer in transaction mode they are not held between statements.
/// The periodic check below reads pg_locks for this backend, so such a setup loses leadership at the first check
/// instead of silently electing everyone.
/// </remarks>
internal sealed partial class PostgresLeaderElection : ILeaderElection
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly CoordinationOptions _options;
    private readonly ILogger _logger;

    public PostgresLeaderElection(
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<CoordinationOptions> options, ILogger<PostgresLeaderElection> logger)
    {
        _dataSource = dataSource;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.LeaderCheckInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.LeaderCheckTimeout, TimeSpan.Zero);
    }

    public async Task<ILeadership?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var key = LockKey(name);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        bool acquired;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch
        {
            // Cancelled or failed after the server may have granted the lock: release it before the connection goes
            // back to the pool, where it would otherwise hold the lock while idle.
            await ReleaseAsync(connection, key, name);
            throw;
        }

        if (!acquired)
        {
            await connection.DisposeAsync();
            return null;
        }

        LogAcquired(_logger, name, key);
        return new Leadership(this, name, key, connection);
    }

    /// <summary>
    /// A stable 64-bit key per name (string.GetHashCode differs per process). Prefixed so other users of advisory
    /// locks on the same database are unlikely to collide; kept non-negative so pg_locks' halves compare simply.
    /// </summary>
    internal static long LockKey(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("scimbridge/leader/" + name)), 0) & long.MaxValue;

    /// <summary>Unlocks and closes. A broken connection is not pooled, and its session (and lock) is gone anyway.</summary>
    private async Task ReleaseAsync(NpgsqlConnection connection, long key, string name)
    {
        try
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                command.CommandTimeout = TimeoutSeconds();
                await command.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogReleaseFailed(_logger, exception, name);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private int TimeoutSeconds() => Math.Max(1, (int)Math.Ceiling(_options.LeaderCheckTimeout.TotalSeconds));

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Acquired leadership of {Name} (advisory lock {Key})")]
    private static partial void LogAcquired(ILogger logger, string name, long key);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Released leadership of {Name}")]
    private static partial void LogReleased(ILogger logger, string name);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Warning, Message = "Lost leadership of {Name}: its database connection failed")]
    private static partial void LogLostConnection(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Warning, Message = "Lost leadership of {Name}: its session no longer holds the advisory lock")]
    private static partial void LogLostLock(ILogger logger, string name);

    [LoggerMessage(EventId = 2215, Level = LogLevel.Debug, Message = "Could not unlock leadership of {Name}; closing its connection instead")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string name);

    private sealed class Leadership : ILeadership
    {
        private readonly PostgresLeaderElection _election;
        private readonly long _key;
        private readonly NpgsqlConnection _connection;

        // Not disposed: a token handed out as Lost must stay usable (registering on it, reading it) after dispose,
        // and a CancellationTokenSource without a timer holds nothing that needs freeing.
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _watch;
        private int _disposed;

        public Leadership(PostgresLeaderElection election, string name, long key, NpgsqlConnection connection)
        {
            _election = election;
            _key = key;
            _connection = connection;
            Name = name;
            Lost = _lost.Token;
            _watch = WatchAsync();
        }

        public string Name { get; }

        public CancellationToken Lost { get; }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            // Stop the watch first: the connection is not safe for two commands at once.
            await _stop.CancelAsync();
            await _watch;
            _stop.Dispose();
            await _election.ReleaseAsync(_connection, _key, Name);
            LogReleased(_election._logger, Name);
        }

        /// <summary>Checks the lock every interval until disposed; fires <see cref="Lost"/> when the check fails.</summary>
        private async Task WatchAsync()
        {
            var stopping = _stop.Token;
            try
            {
                while (true)
                {
                    await Task.Delay(_election._options.LeaderCheckInterval, _election._clock, stopping);
                    if (!await HoldsLockAsync(stopping))
                    {
                        LogLostLock(_election._logger, Name);
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogLostConnection(_election._logger, exception, Name);
            }

            // Callbacks run here; one that throws must not take the watch down with it (nothing awaits it but dispose).
            try
            {
                _lost.Cancel();
            }
            catch (AggregateException exception)
            {
                LogLostConnection(_election._logger, exception, Name);
            }
        }

        private async Task<bool> HoldsLockAsync(CancellationToken cancellationToken)
        {
            // A bigint advisory key shows in pg_locks as classid (high half), objid (low half), objsubid 1.
            await using var command = new NpgsqlCommand(
                """
                SELECT EXISTS (SELECT 1 FROM pg_locks
                    WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
                      AND classid::bigint = @high AND objid::bigint = @low)
                """,
                _connection);
            command.Parameters.AddWithValue("high", _key >> 32);
            command.Parameters.AddWithValue("low", _key & 0xFFFFFFFFL);
            command.CommandTimeout = _election.TimeoutSeconds();
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
    }
}
