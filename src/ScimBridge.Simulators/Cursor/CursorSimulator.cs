using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.Cursor;

/// <summary>
/// Cursor's team Admin API (cursor.com/docs/account/teams/admin-api) at its real paths: GET /teams/members (unpaged),
/// POST /teams/remove-member with its rules and error texts, GET /teams/audit-logs and POST /teams/daily-usage-data
/// (page numbers, the 30-day range limit), Basic auth with the key as username, errors as <c>{"error":"…"}</c> and
/// the 429 body with both error and message. Also the subset of Cursor's SCIM endpoint that provisioning uses
/// (/scim/v2/Users), since SCIM is the only way onto a team. State is in memory behind one lock: members in
/// insertion order with id and email indexes, audit events sorted by time (a page is a slice, found by binary search).
/// </summary>
public sealed partial class CursorSimulator(TimeProvider time) : ISimulatedPlatform
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(30);

    private readonly Lock _gate = new();
    private readonly List<CursorSimMember> _members = [];
    private readonly Dictionary<string, int> _memberById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _memberByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AuditEntry> _events = [];
    private readonly Dictionary<(string UserId, DateOnly Day), CursorSimUsageDay> _usage = [];
    private long _sequence;

    public string Name => "cursor";

    public string BasePath => "/";

    /// <summary>The bearer token the SCIM endpoint accepts (separate from the Admin API key, as on Cursor).</summary>
    public string ScimToken { get; set; } = "sim-scim-token";

    /// <summary>Echoed in audit-log <c>params.teamId</c>.</summary>
    public long TeamId { get; set; } = 12345;

    public IReadOnlyList<CursorSimMember> Members
    {
        get
        {
            lock (_gate)
            {
                return [.. _members];
            }
        }
    }

    public int AuditEventCount
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>The member with this id or email (the latest, if an email was reused), removed or not.</summary>
    public CursorSimMember? Member(string idOrEmail)
    {
        lock (_gate)
        {
            return IndexOf(idOrEmail) is { } index ? _members[index] : null;
        }
    }

    /// <summary>Adds a member, or replaces the one with the same id.</summary>
    public void UpsertMember(CursorSimMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            Put(member);
        }
    }

    public void AddAuditEvents(IEnumerable<CursorSimAuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            var sorted = true;
            foreach (var e in events)
            {
                sorted &= _events.Count == 0 || _events[^1].Event.Timestamp <= e.Timestamp;
                _events.Add(new AuditEntry(_sequence++, e));
            }

            if (!sorted)
            {
                _events.Sort(static (a, b) => a.Event.Timestamp != b.Event.Timestamp ? a.Event.Timestamp.CompareTo(b.Event.Timestamp) : a.Sequence.CompareTo(b.Sequence));
            }
        }
    }

    /// <summary>Marks a day active for a member; <paramref name="metrics"/> are echoed as the day's documented fields.</summary>
    public void AddUsage(string userId, DateOnly day, JsonObject? metrics = null)
    {
        lock (_gate)
        {
            _usage[(userId, day)] = new CursorSimUsageDay(userId, day, metrics ?? []);
        }
    }

    public bool IsAuthorized(HttpRequest request, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth) || auth.Parameter is null)
        {
            return false;
        }

        if (IsScim(request.Path))
        {
            return auth.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && auth.Parameter == ScimToken;
        }

        // Basic base64("KEY:"): the key is the username; the password is empty and not checked (curl -u KEY:).
        if (!auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && decoded[..colon] == adminKey;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsScim(context.Request.Path))
        {
            return ScimError(status, null, message).ExecuteAsync(context);
        }

        // The documented 429 body; everything else has the classic {"error":"…"} shape.
        var body = status == StatusCodes.Status429TooManyRequests ? new CursorSimError("Too Many Requests", message) : new CursorSimError(message);
        return Results.Json(body, CursorSimJson.Default.CursorSimError, statusCode: status).ExecuteAsync(context);
    }

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/teams/members", ListMembers);
        routes.MapPost("/teams/remove-member", RemoveMemberAsync);
        routes.MapGet("/teams/audit-logs", AuditLogs);
        routes.MapPost("/teams/daily-usage-data", DailyUsageAsync);
        MapScim(routes);
    }

    public void Seed(Stream json)
    {
        var seed = JsonSerializer.Deserialize(json, CursorSimJson.Default.CursorSimSeed) ?? new CursorSimSeed();
        lock (_gate)
        {
            _members.Clear();
            _memberById.Clear();
            _memberByEmail.Clear();
            _events.Clear();
            _usage.Clear();
            _scimExternalIds.Clear();
            foreach (var member in seed.TeamMembers ?? [])
            {
                Put(member);
            }

            foreach (var record in seed.DailyUsage ?? [])
            {
                var day = UsageDay(record);
                _usage[(day.UserId, day.Day)] = day;
            }
        }

        AddAuditEvents(seed.AuditEvents ?? []);
    }

    public object Snapshot()
    {
        lock (_gate)
        {
            return new CursorSimSnapshot([.. _members], [.. _events.Select(e => e.Event)], [.. _usage.Values.OrderBy(u => u.Day).ThenBy(u => u.UserId, StringComparer.Ordinal)]);
        }
    }

    private IResult ListMembers()
    {
        lock (_gate)
        {
            return Results.Json(new CursorSimTeamMembers([.. _members]), CursorSimJson.Default.CursorSimTeamMembers);
        }
    }

    private async Task<IResult> RemoveMemberAsync(HttpRequest request)
    {
        CursorSimRemoveMember? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, CursorSimJson.Default.CursorSimRemoveMember, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid JSON body");
        }

        var userId = string.IsNullOrWhiteSpace(body?.UserId) ? null : body.UserId;
        var email = string.IsNullOrWhiteSpace(body?.Email) ? null : body.Email;
        if (userId is null && email is null)
        {
            return Error(StatusCodes.Status400BadRequest, "Either userId or email must be provided");
        }

        if (userId is not null && email is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "Only one of userId or email should be provided, not both");
        }

        lock (_gate)
        {
            // The docs give the error texts but no statuses; 400 for all of them.
            var index = userId is not null ? _memberById.GetValueOrDefault(userId, -1) : _memberByEmail.GetValueOrDefault(email!, -1);
            if (index < 0 || _members[index].IsRemoved)
            {
                return Error(StatusCodes.Status400BadRequest, "User is not a member of this team");
            }

            var member = _members[index];
            var remaining = _members.Where((m, i) => i != index && !m.IsRemoved).ToList();
            if (!remaining.Any(m => m.IsAdmin))
            {
                return Error(StatusCodes.Status400BadRequest, "At least one admin (owner or free-owner) must remain on the team after removal");
            }

            if (!remaining.Any(m => m.IsPaid))
            {
                return Error(StatusCodes.Status400BadRequest, "At least one paid member must remain on the team after removal");
            }

            _members[index] = member with { IsRemoved = true };
            var cycleStart = CursorTimes.Day(time.GetUtcNow() - MaxRange);
            var hasUsage = _usage.Keys.Any(k => k.UserId == member.Id && k.Day >= cycleStart);
            return Results.Json(new CursorSimRemoved(true, member.Id, hasUsage), CursorSimJson.Default.CursorSimRemoved);
        }
    }

    private IResult AuditLogs(HttpRequest request)
    {
        var query = request.Query;
        var now = time.GetUtcNow();
        var start = now - TimeSpan.FromDays(7);
        var end = now;
        if (query.ContainsKey("startTime") && !CursorTimes.TryParse(query["startTime"], now, out start))
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid startTime");
        }

        if (query.ContainsKey("endTime") && !CursorTimes.TryParse(query["endTime"], now, out end))
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid endTime");
        }

        if (end < start)
        {
            return Error(StatusCodes.Status400BadRequest, "startTime must be before endTime");
        }

        if (end - start > MaxRange)
        {
            return Error(StatusCodes.Status400BadRequest, "Date range cannot exceed 30 days");
        }

        if (!PositiveInt(query["page"], 1, int.MaxValue, out var page))
        {
            return Error(StatusCodes.Status400BadRequest, "page must be a positive integer");
        }

        if (!PositiveInt(query["pageSize"], 100, 500, out var pageSize))
        {
            return Error(StatusCodes.Status400BadRequest, "pageSize must be between 1 and 500");
        }

        var types = Csv(query["eventTypes"]);
        var users = Csv(query["users"]);
        if (users.Count > pageSize)
        {
            return Error(StatusCodes.Status400BadRequest, "Maximum number of users per request equals pageSize");
        }

        var search = query["search"].ToString();
        lock (_gate)
        {
            var emails = users.Select(u => u.Contains('@', StringComparison.Ordinal) ? u : IndexOf(u) is { } i ? _members[i].Email : null)
                .OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var filtered = types.Count > 0 || users.Count > 0 || search.Length > 0;
            var low = LowerBound(start);
            var high = LowerBound(end.AddTicks(1));

            // Newest first, as in the docs' example. Unfiltered, a page is an index slice counted from the end.
            List<int> matches = filtered
                ? [.. Enumerable.Range(low, high - low).Reverse().Where(i => Matches(_events[i].Event, types, users.Count > 0 ? emails : null, search))]
                : [];
            var total = filtered ? matches.Count : high - low;
            var skip = (long)(page - 1) * pageSize;
            var events = new List<CursorSimAuditEventOut>();
            for (var n = skip; n < Math.Min(total, skip + pageSize); n++)
            {
                var e = _events[filtered ? matches[(int)n] : high - 1 - (int)n].Event;
                events.Add(new CursorSimAuditEventOut(e.EventId, CursorTimes.Iso(e.Timestamp), e.IpAddress, e.UserEmail, e.EventType, e.EventData));
            }

            var totalPages = (int)Math.Ceiling(total / (double)pageSize);
            return Results.Json(
                new CursorSimAuditPage(
                    events,
                    new CursorSimAuditPagination(page, pageSize, total, totalPages, page < totalPages, page > 1),
                    new CursorSimAuditParams(TeamId, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds())),
                CursorSimJson.Default.CursorSimAuditPage);
        }
    }

    private async Task<IResult> DailyUsageAsync(HttpRequest request)
    {
        CursorSimUsageRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, CursorSimJson.Default.CursorSimUsageRequest, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid JSON body");
        }

        if (body?.StartDate is not { } startMs || body.EndDate is not { } endMs)
        {
            return Error(StatusCodes.Status400BadRequest, "startDate and endDate are required");
        }

        if (endMs < startMs)
        {
            return Error(StatusCodes.Status400BadRequest, "startDate must be before endDate");
        }

        if (TimeSpan.FromMilliseconds(endMs - startMs) > MaxRange)
        {
            return Error(StatusCodes.Status400BadRequest, "Date range cannot exceed 30 days");
        }

        // Both page and pageSize switch pagination on ("returns data for all team members with a membership during
        // the requested date range"); without them only active users come back, unpaged.
        var paginated = body.Page is not null && body.PageSize is not null;
        if (paginated && (body.Page < 1 || body.PageSize < 1))
        {
            return Error(StatusCodes.Status400BadRequest, "page and pageSize must be positive integers");
        }

        var first = CursorTimes.Day(DateTimeOffset.FromUnixTimeMilliseconds(startMs));
        var last = CursorTimes.Day(DateTimeOffset.FromUnixTimeMilliseconds(endMs));
        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();
        var data = new JsonArray();
        var period = new CursorSimPeriod(startMs, endMs);
        lock (_gate)
        {
            if (!paginated)
            {
                foreach (var usage in _usage.Values.Where(u => u.Day >= first && u.Day <= last).OrderBy(u => u.Day).ThenBy(u => u.UserId, StringComparer.Ordinal))
                {
                    var email = _memberById.TryGetValue(usage.UserId, out var i) ? _members[i].Email : null;
                    data.Add(UsageRecord(usage.UserId, email, usage.Day, usage));
                }

                return Results.Json(new CursorSimUsagePage(data, period, null), CursorSimJson.Default.CursorSimUsagePage);
            }

            var page = body.Page!.Value;
            var size = body.PageSize!.Value;
            var totalUsers = _members.Count;
            foreach (var member in _members.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * size)).Take(size))
            {
                foreach (var day in days)
                {
                    data.Add(UsageRecord(member.Id, member.Email, day, _usage.GetValueOrDefault((member.Id, day))));
                }
            }

            var totalPages = (int)Math.Ceiling(totalUsers / (double)size);
            return Results.Json(
                new CursorSimUsagePage(data, period, new CursorSimUsagePagination(page, size, totalUsers, totalPages, page < totalPages, page > 1)),
                CursorSimJson.Default.CursorSimUsagePage);
        }
    }

    private static JsonObject UsageRecord(string userId, string? email, DateOnly day, CursorSimUsageDay? active)
    {
        var record = new JsonObject
        {
            ["userId"] = userId,
            ["day"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["date"] = CursorTimes.Midnight(day),
            ["isActive"] = active is not null,
        };
        foreach (var (key, value) in active?.Metrics ?? ZeroMetrics)
        {
            if (!record.ContainsKey(key) && key != "email")
            {
                record[key] = value?.DeepClone();
            }
        }

        record["email"] = email;
        return record;
    }

    // The documented per-day fields, as an inactive day reports them.
    private static readonly JsonObject ZeroMetrics = new()
    {
        ["totalLinesAdded"] = 0, ["totalLinesDeleted"] = 0, ["acceptedLinesAdded"] = 0, ["acceptedLinesDeleted"] = 0,
        ["totalApplies"] = 0, ["totalAccepts"] = 0, ["totalRejects"] = 0, ["totalTabsShown"] = 0, ["totalTabsAccepted"] = 0,
        ["composerRequests"] = 0, ["chatRequests"] = 0, ["agentRequests"] = 0, ["cmdkUsages"] = 0,
        ["subscriptionIncludedReqs"] = 0, ["apiKeyReqs"] = 0, ["usageBasedReqs"] = 0, ["bugbotUsages"] = 0,
        ["mostUsedModel"] = null, ["applyMostUsedExtension"] = null, ["tabMostUsedExtension"] = null, ["clientVersion"] = null,
    };

    private CursorSimUsageDay UsageDay(JsonObject record)
    {
        var userId = record["userId"]?.ToString()
            ?? (record["email"]?.ToString() is { } email && IndexOf(email) is { } i ? _members[i].Id : null)
            ?? throw new InvalidOperationException("A dailyUsage record needs a userId, or the email of a seeded member.");
        DateOnly day;
        if (record["day"]?.ToString() is { } text)
        {
            day = DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (record["date"] is JsonValue date && date.TryGetValue<long>(out var ms))
        {
            day = CursorTimes.Day(DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }
        else
        {
            throw new InvalidOperationException("A dailyUsage record needs a day (YYYY-MM-DD) or a date (epoch ms).");
        }

        var metrics = (JsonObject)record.DeepClone();
        foreach (var key in new[] { "userId", "day", "date", "email", "isActive" })
        {
            metrics.Remove(key);
        }

        return new CursorSimUsageDay(userId, day, metrics);
    }

    private static bool Matches(CursorSimAuditEvent e, List<string> types, HashSet<string>? emails, string search) =>
        (types.Count == 0 || types.Contains(e.EventType, StringComparer.OrdinalIgnoreCase))
        && (emails is null || (e.UserEmail is not null && emails.Contains(e.UserEmail)))
        && (search.Length == 0
            || e.EventType.Contains(search, StringComparison.OrdinalIgnoreCase)
            || (e.UserEmail?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
            || (e.EventData?.GetRawText().Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>The first index whose timestamp is at or after <paramref name="at"/>.</summary>
    private int LowerBound(DateTimeOffset at)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_events[mid].Event.Timestamp < at)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private void Put(CursorSimMember member)
    {
        if (_memberById.TryGetValue(member.Id, out var index))
        {
            _members[index] = member;
        }
        else
        {
            index = _members.Count;
            _members.Add(member);
            _memberById[member.Id] = index;
        }

        _memberByEmail[member.Email] = index;
    }

    private int? IndexOf(string idOrEmail) =>
        _memberById.TryGetValue(idOrEmail, out var i) || _memberByEmail.TryGetValue(idOrEmail, out i) ? i : null;

    private static bool PositiveInt(string? text, int fallback, int max, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text)
            || (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max);
    }

    private static List<string> Csv(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static IResult Error(int status, string message) =>
        Results.Json(new CursorSimError(message), CursorSimJson.Default.CursorSimError, statusCode: status);

    private static bool IsScim(PathString path) => path.StartsWithSegments("/scim", StringComparison.OrdinalIgnoreCase);

    private readonly record struct AuditEntry(long Sequence, CursorSimAuditEvent Event);
}
