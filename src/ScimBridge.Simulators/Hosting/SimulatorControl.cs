namespace ScimBridge.Simulators.Hosting;

/// <summary>One request the simulator saw, for tests that count pages or check what was sent.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, int Status, DateTimeOffset At);

/// <summary>Rate limit: a token bucket per simulator. Zero capacity means unlimited.</summary>
public sealed record RateLimitSettings(double Capacity = 0, double RefillPerSecond = 0, int RetryAfterSeconds = 1);

/// <summary>Random faults, drawn from a seeded generator so a failing run can be replayed.</summary>
public sealed record FaultSettings(
    double ErrorRate = 0,
    int ErrorStatus = 500,
    double SlowRate = 0,
    int SlowMilliseconds = 0,
    double DropRate = 0,
    int Seed = 1,
    int LatencyMilliseconds = 0);

/// <summary>
/// The knobs a test or the demo turns at run time: the admin key the simulator accepts, rate limits answered with the
/// platform's native 429 and Retry-After, scripted faults (the next N requests fail, are throttled or dropped), random
/// faults, and the log of requests seen. Thread-safe; also reachable over HTTP under /_sim.
/// </summary>
public sealed class SimulatorControl(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private RateLimitSettings _rateLimit = new();
    private FaultSettings _faults = new();
    private Random _random = new(1);
    private double _tokens;
    private long _lastRefill = time.GetTimestamp();
    private int _forcedRateLimits;
    private int _forcedRetryAfter;
    private int _forcedErrors;
    private int _forcedErrorStatus;
    private int _forcedDrops;
    private int _inFlight;
    private int _maxInFlight;

    public string AdminKey { get; set; } = "sim-admin-key";

    /// <summary>Keep the request log (on by default); benchmarks turn it off so it does not grow.</summary>
    public bool RecordRequests { get; set; } = true;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The most platform requests the simulator was serving at once since the last reset or clear: a client's concurrency.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Count(string method, string pathPrefix) =>
        Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
            _maxInFlight = _inFlight;
        }
    }

    public void SetRateLimit(RateLimitSettings settings)
    {
        lock (_gate)
        {
            _rateLimit = settings;
            _tokens = settings.Capacity;
            _lastRefill = time.GetTimestamp();
        }
    }

    public void SetFaults(FaultSettings settings)
    {
        lock (_gate)
        {
            _faults = settings;
            _random = new Random(settings.Seed);
        }
    }

    public FaultSettings Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults;
            }
        }
    }

    /// <summary>The next <paramref name="requests"/> authenticated requests get the platform's 429.</summary>
    public void ThrottleNext(int requests, int retryAfterSeconds)
    {
        lock (_gate)
        {
            _forcedRateLimits = requests;
            _forcedRetryAfter = retryAfterSeconds;
        }
    }

    /// <summary>The next <paramref name="requests"/> requests get <paramref name="status"/> in the platform's error envelope.</summary>
    public void FailNext(int requests, int status = 500)
    {
        lock (_gate)
        {
            _forcedErrors = requests;
            _forcedErrorStatus = status;
        }
    }

    /// <summary>The next <paramref name="requests"/> requests have their connection cut before any answer.</summary>
    public void DropNext(int requests)
    {
        lock (_gate)
        {
            _forcedDrops = requests;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _rateLimit = new();
            _faults = new();
            _forcedRateLimits = _forcedErrors = _forcedDrops = 0;
            _maxInFlight = _inFlight;
        }
    }

    /// <summary>Counts a platform request in flight until the result is disposed.</summary>
    internal InFlight Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        return new InFlight(this);
    }

    internal readonly struct InFlight(SimulatorControl control) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref control._inFlight);
    }

    internal void Record(string method, string pathAndQuery, int status)
    {
        if (!RecordRequests)
        {
            return;
        }

        lock (_gate)
        {
            _requests.Add(new RecordedRequest(method, pathAndQuery, status, time.GetUtcNow()));
        }
    }

    /// <summary>Decides what happens to a request before the platform sees it.</summary>
    internal Verdict Judge()
    {
        lock (_gate)
        {
            if (_forcedDrops > 0)
            {
                _forcedDrops--;
                return new Verdict(VerdictKind.Drop, 0, 0);
            }

            if (_forcedErrors > 0)
            {
                _forcedErrors--;
                return new Verdict(VerdictKind.Error, _forcedErrorStatus, 0);
            }

            var delay = _faults.LatencyMilliseconds;
            if (_faults.DropRate > 0 && _random.NextDouble() < _faults.DropRate)
            {
                return new Verdict(VerdictKind.Drop, 0, delay);
            }

            if (_faults.ErrorRate > 0 && _random.NextDouble() < _faults.ErrorRate)
            {
                return new Verdict(VerdictKind.Error, _faults.ErrorStatus, delay);
            }

            if (_faults.SlowRate > 0 && _random.NextDouble() < _faults.SlowRate)
            {
                delay += _faults.SlowMilliseconds;
            }

            return new Verdict(VerdictKind.Pass, 0, delay);
        }
    }

    /// <summary>After authentication: null to proceed, or the Retry-After seconds of a 429.</summary>
    internal int? TakeToken()
    {
        lock (_gate)
        {
            if (_forcedRateLimits > 0)
            {
                _forcedRateLimits--;
                return _forcedRetryAfter;
            }

            if (_rateLimit.Capacity <= 0)
            {
                return null;
            }

            var now = time.GetTimestamp();
            _tokens = Math.Min(_rateLimit.Capacity, _tokens + (time.GetElapsedTime(_lastRefill, now).TotalSeconds * _rateLimit.RefillPerSecond));
            _lastRefill = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return null;
            }

            return _rateLimit.RetryAfterSeconds;
        }
    }
}

internal enum VerdictKind
{
    Pass,
    Error,
    Drop,
}

internal readonly record struct Verdict(VerdictKind Kind, int Status, int DelayMilliseconds);
