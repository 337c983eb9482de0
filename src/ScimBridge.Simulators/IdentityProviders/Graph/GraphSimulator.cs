using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.IdentityProviders.Graph;

/// <summary>A user of the simulated tenant (the properties of the Graph user resource that the IdP check reads).</summary>
public sealed record GraphSimUser(string Id, string UserPrincipalName, string DisplayName, bool AccountEnabled);

/// <summary>A security group with its direct members (user ids).</summary>
public sealed record GraphSimGroup(string Id, string DisplayName, IReadOnlyList<string> Members);

/// <summary>An appRoleAssignment of the app's service principal to a user or a group.</summary>
public sealed record GraphSimAssignment(string Id, string PrincipalId, string PrincipalType, string PrincipalDisplayName);

/// <summary>The seed and /_sim/state format: the tenant, the app's service principal and its assignments.</summary>
public sealed record GraphSimState(
    string ServicePrincipalId,
    IReadOnlyList<GraphSimUser> Users,
    IReadOnlyList<GraphSimGroup> Groups,
    IReadOnlyList<GraphSimAssignment> Assignments)
{
    /// <summary>The application (client) id of the app whose service principal this is.</summary>
    public string AppId { get; init; } = "11111111-2222-4333-8444-555555555555";
}

/// <summary>
/// The slice of Microsoft Graph v1.0 and the Microsoft identity platform token endpoint that an IdP check uses, with the
/// real paths and payload shapes (learn.microsoft.com/graph/api/…): client-credentials tokens at
/// <c>POST /{tenant}/oauth2/v2.0/token</c>; <c>GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo</c>;
/// <c>GET /v1.0/groups/{id}/members</c>; <c>GET /v1.0/users/{id}</c>; <c>GET /v1.0/users/delta</c> and
/// <c>/v1.0/groups/delta</c> (also as <c>delta()</c>, the form the SDK sends) with <c>$deltatoken=latest</c>, user
/// <c>@removed</c> and group <c>members@delta</c>. Lists are <c>{"@odata.context", "value": [...]}</c> paged with an
/// absolute <c>@odata.nextLink</c> ($skiptoken); delta rounds end with <c>@odata.deltaLink</c>. Errors are
/// <c>{"error":{"code","message","innerError"}}</c>. The admin key is the app's client secret; Graph calls need a
/// token it issued. Serve it over https (the host does, given an https URL) so Azure.Identity accepts the authority.
/// </summary>
public sealed class GraphSimulator(TimeProvider time) : ISimulatedPlatform
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphSimUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GraphSimGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GraphSimAssignment> _assignments = [];

    // The change log that delta rounds read: every user or membership change gets the next version; a deltaLink
    // carries the version it was issued at.
    private readonly List<(long Version, string Kind, string Id, string? MemberId, bool Removed)> _changes = [];
    private long _version;
    private long _oldestValidToken;
    private string? _clientSecret;

    public string Name => "graph";

    public string BasePath => "/v1.0";

    public string ServicePrincipalId { get; private set; } = "00000000-0000-0000-0000-0000000000a1";

    public string AppId { get; private set; } = "11111111-2222-4333-8444-555555555555";

    /// <summary>The most items a page holds, whatever $top asks (Graph may return fewer than $top); tests lower it to force paging.</summary>
    public int PageSize { get; set; } = 999;

    public bool IsAuthorized(HttpRequest request, string adminKey)
    {
        // The token endpoint authenticates the client by its secret in the form; everything else by a token it issued.
        if (request.Path.Value?.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) == true)
        {
            // The form can only be read asynchronously: remember the secret the host expects for TokenAsync.
            _clientSecret = adminKey;
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Locked(() => _tokens.Contains(header[7..].Trim()));
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var code = status switch
        {
            401 => "InvalidAuthenticationToken",
            403 => "Authorization_RequestDenied",
            404 => "Request_ResourceNotFound",
            410 => "SyncStateNotFound",
            429 => "TooManyRequests",
            >= 500 => "generalException",
            _ => "BadRequest",
        };
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = context.Request.Headers["client-request-id"].ToString(),
                },
            },
        };
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/{tenant}/oauth2/v2.0/token", TokenAsync);
        var api = routes.MapGroup("/v1.0");
        api.MapGet("/servicePrincipals/{id}/appRoleAssignedTo", AssignmentsAsync);
        api.MapGet("/servicePrincipals(appId='{appId}')", ServicePrincipalByAppIdAsync);
        api.MapGet("/groups/{id}/members", MembersAsync);
        api.MapGet("/users/delta", UsersDeltaAsync);
        api.MapGet("/users/microsoft.graph.delta()", UsersDeltaAsync);
        api.MapGet("/users/delta()", UsersDeltaAsync);
        api.MapGet("/groups/delta", GroupsDeltaAsync);
        api.MapGet("/groups/microsoft.graph.delta()", GroupsDeltaAsync);
        api.MapGet("/groups/delta()", GroupsDeltaAsync);
        api.MapGet("/users/{id}", UserAsync);

        // What an admin does in the Entra portal, for tests and the demo (under /_sim, so no token is needed).
        var sim = routes.MapGroup("/_sim/graph");
        sim.MapGet("/certificate", () => Results.Json(new { sha256 = LoopbackCertificate.Thumbprint }));
        sim.MapPost("/users", (GraphSimUser user) => Ok(() => UpsertUser(user)));
        sim.MapPost("/groups", (GraphSimGroup group) => Ok(() => UpsertGroup(group)));
        sim.MapPost("/groups/{id}/members/{userId}", (string id, string userId) => Ok(() => AddMember(id, userId)));
        sim.MapDelete("/groups/{id}/members/{userId}", (string id, string userId) => Ok(() => RemoveMember(id, userId)));
        sim.MapPost("/assignments/{principalId}", (string principalId) => Ok(() => Assign(principalId)));
        sim.MapDelete("/assignments/{principalId}", (string principalId) => Ok(() => Unassign(principalId)));
    }

    public void Seed(Stream json)
    {
        var state = JsonSerializer.Deserialize<GraphSimState>(json, SimulatorHost.Json) ?? throw new InvalidDataException("The seed is empty.");
        lock (_gate)
        {
            _users.Clear();
            _groups.Clear();
            _assignments.Clear();
            _changes.Clear();
            ServicePrincipalId = state.ServicePrincipalId;
            AppId = state.AppId;
            foreach (var user in state.Users)
            {
                UpsertUserLocked(user);
            }

            foreach (var group in state.Groups)
            {
                _groups[group.Id] = group with { Members = [] };
                foreach (var member in group.Members)
                {
                    AddMemberLocked(group.Id, member);
                }
            }

            _assignments.AddRange(state.Assignments);
        }
    }

    public object Snapshot() =>
        Locked(() => JsonSerializer.SerializeToNode(new GraphSimState(ServicePrincipalId, [.. _users.Values], [.. _groups.Values], [.. _assignments]) { AppId = AppId }, SimulatorHost.Json)!);

    // Admin actions (in-process tests call these; /_sim/graph/… calls them over HTTP).

    public void UpsertUser(GraphSimUser user)
    {
        lock (_gate)
        {
            UpsertUserLocked(user);
        }
    }

    public void UpsertGroup(GraphSimGroup group)
    {
        lock (_gate)
        {
            var members = _groups.TryGetValue(group.Id, out var existing) ? existing.Members : [];
            _groups[group.Id] = group with { Members = members };
            foreach (var member in group.Members.Where(m => !members.Contains(m, StringComparer.OrdinalIgnoreCase)))
            {
                AddMemberLocked(group.Id, member);
            }
        }
    }

    public void AddMember(string groupId, string userId)
    {
        lock (_gate)
        {
            AddMemberLocked(groupId, userId);
        }
    }

    public void RemoveMember(string groupId, string userId)
    {
        lock (_gate)
        {
            var group = _groups[groupId];
            _groups[groupId] = group with { Members = [.. group.Members.Where(m => !string.Equals(m, userId, StringComparison.OrdinalIgnoreCase))] };
            _changes.Add((++_version, "group", groupId, userId, true));
        }
    }

    /// <summary>Assigns a user or a group (by id) to the app, as "Users and groups → Add assignment" does.</summary>
    public void Assign(string principalId)
    {
        lock (_gate)
        {
            var (type, name) = _users.TryGetValue(principalId, out var user) ? ("User", user.DisplayName)
                : _groups.TryGetValue(principalId, out var group) ? ("Group", group.DisplayName)
                : throw new InvalidOperationException($"No user or group {principalId}.");
            _assignments.Add(new GraphSimAssignment(Guid.NewGuid().ToString(), principalId, type, name));
        }
    }

    /// <summary>Makes every deltaLink issued so far invalid (Graph answers 410 and the client must read in full again).</summary>
    public void ExpireDeltaTokens()
    {
        lock (_gate)
        {
            _oldestValidToken = _version + 1;
        }
    }

    public void Unassign(string principalId)
    {
        lock (_gate)
        {
            _assignments.RemoveAll(a => string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase));
        }
    }

    private void UpsertUserLocked(GraphSimUser user)
    {
        _users[user.Id] = user;
        _changes.Add((++_version, "user", user.Id, null, false));
    }

    private void AddMemberLocked(string groupId, string userId)
    {
        var group = _groups[groupId];
        if (!group.Members.Contains(userId, StringComparer.OrdinalIgnoreCase))
        {
            _groups[groupId] = group with { Members = [.. group.Members, userId] };
        }

        _changes.Add((++_version, "group", groupId, userId, false));
    }

    private async Task TokenAsync(HttpContext c)
    {
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var secret = form["client_secret"].ToString();
        if (form["grant_type"] != "client_credentials" || _clientSecret is null
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(_clientSecret)))
        {
            // The identity platform's OAuth error shape (RFC 6749 §5.2 plus its own fields).
            c.Response.StatusCode = 401;
            await c.Response.WriteAsJsonAsync(
                new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided.", ["error_codes"] = new JsonArray(7000215) },
                c.RequestAborted);
            return;
        }

        var token = "graph-sim-" + Guid.NewGuid().ToString("N");
        Locked(() => _tokens.Add(token));
        await c.Response.WriteAsJsonAsync(
            new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token },
            c.RequestAborted);
    }

    private Task AssignmentsAsync(HttpContext c, string id)
    {
        List<JsonObject> items;
        lock (_gate)
        {
            if (!string.Equals(id, ServicePrincipalId, StringComparison.OrdinalIgnoreCase))
            {
                return WriteErrorAsync(c, 404, $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
            }

            items = [.. _assignments.Select(a => new JsonObject
            {
                ["id"] = a.Id,
                ["deletedDateTime"] = null,
                ["appRoleId"] = "00000000-0000-0000-0000-000000000000",
                ["createdDateTime"] = "2026-01-01T00:00:00Z",
                ["principalDisplayName"] = a.PrincipalDisplayName,
                ["principalId"] = a.PrincipalId,
                ["principalType"] = a.PrincipalType,
                ["resourceDisplayName"] = "ScimBridge",
                ["resourceId"] = ServicePrincipalId,
            })];
        }

        return PageAsync(c, items, $"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{id}')/appRoleAssignedTo");
    }

    // GET /servicePrincipals(appId='{appId}'): the service principal by its app's client id (alternate key).
    private Task ServicePrincipalByAppIdAsync(HttpContext c, string appId)
    {
        var (spId, known) = Locked(() => (ServicePrincipalId, string.Equals(appId, AppId, StringComparison.OrdinalIgnoreCase)));
        if (!known)
        {
            return WriteErrorAsync(c, 404, $"Resource 'appId={appId}' does not exist or one of its queried reference-property objects are not present.");
        }

        return c.Response.WriteAsJsonAsync(
            new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id)/$entity",
                ["id"] = spId,
                ["appId"] = appId,
                ["displayName"] = "ScimBridge",
            },
            c.RequestAborted);
    }

    private Task MembersAsync(HttpContext c, string id)
    {
        List<JsonObject> items;
        lock (_gate)
        {
            if (!_groups.TryGetValue(id, out var group))
            {
                return WriteErrorAsync(c, 404, $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
            }

            items = [.. group.Members.Where(_users.ContainsKey).Select(m => UserJson(_users[m], c))];
        }

        return PageAsync(c, items, "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
    }

    private Task UserAsync(HttpContext c, string id)
    {
        JsonObject? user = Locked(() => _users.TryGetValue(id, out var u) ? UserJson(u, c) : null);
        if (user is null)
        {
            return WriteErrorAsync(c, 404, $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        }

        user["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users/$entity";
        return c.Response.WriteAsJsonAsync(user, c.RequestAborted);
    }

    private Task UsersDeltaAsync(HttpContext c) => DeltaAsync(c, "users", "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,displayName,accountEnabled)");

    private Task GroupsDeltaAsync(HttpContext c) => DeltaAsync(c, "groups", "https://graph.microsoft.com/v1.0/$metadata#groups(displayName,members)");

    /// <summary>
    /// A delta round: with no token, everything (groups with all their members in members@delta); with a token, what
    /// changed after its version (users as they are now; groups with the member changes only); with
    /// $deltatoken=latest, nothing but a deltaLink for now. $filter=id eq '…' (or …) limits groups, as Graph allows.
    /// </summary>
    private Task DeltaAsync(HttpContext c, string collection, string context)
    {
        var query = c.Request.Query;
        var token = query["$deltatoken"].ToString();
        var filterIds = FilterIds(query["$filter"].ToString());
        List<JsonObject> items;
        long version;
        lock (_gate)
        {
            version = _version;
            if (token == "latest")
            {
                items = [];
            }
            else if (token.Length > 0)
            {
                if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var since) || since > _version || since < _oldestValidToken)
                {
                    return WriteErrorAsync(c, 410, "The delta token is not valid or has expired: resync.");
                }

                var changes = _changes.Where(ch => ch.Version > since && ch.Kind == (collection == "users" ? "user" : "group")).ToList();
                items = collection == "users"
                    ? [.. changes.Select(ch => ch.Id).Distinct(StringComparer.OrdinalIgnoreCase).Select(id => _users.TryGetValue(id, out var u)
                        ? UserJson(u, c)
                        : new JsonObject { ["id"] = id, ["@removed"] = new JsonObject { ["reason"] = "changed" } })]
                    : [.. changes.Where(ch => filterIds is null || filterIds.Contains(ch.Id)).GroupBy(ch => ch.Id, StringComparer.OrdinalIgnoreCase)
                        .Where(g => _groups.ContainsKey(g.Key))
                        .Select(g => GroupJson(_groups[g.Key], g.GroupBy(ch => ch.MemberId!, StringComparer.OrdinalIgnoreCase).Select(m => (m.Key, m.Last().Removed))))];
            }
            else
            {
                items = collection == "users"
                    ? [.. _users.Values.Select(u => UserJson(u, c))]
                    : [.. _groups.Values.Where(g => filterIds is null || filterIds.Contains(g.Id)).Select(g => GroupJson(g, g.Members.Select(m => (m, false))))];
            }
        }

        return PageAsync(c, items, context, deltaToken: version.ToString(CultureInfo.InvariantCulture));
    }

    private static HashSet<string>? FilterIds(string filter)
    {
        if (filter.Length == 0)
        {
            return null;
        }

        // "id eq 'a' or id eq 'b'": the only $filter groups/delta takes.
        return filter.Split(" or ", StringSplitOptions.TrimEntries)
            .Select(part => part.Split('\'', StringSplitOptions.RemoveEmptyEntries) is [_, var id, ..] ? id : "")
            .Where(id => id.Length > 0)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static JsonObject GroupJson(GraphSimGroup group, IEnumerable<(string MemberId, bool Removed)> members) => new()
    {
        ["id"] = group.Id,
        ["displayName"] = group.DisplayName,
        ["members@delta"] = new JsonArray([.. members.Select(m =>
        {
            var member = new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = m.MemberId };
            if (m.Removed)
            {
                member["@removed"] = new JsonObject { ["reason"] = "deleted" };
            }

            return (JsonNode)member;
        })]),
    };

    // $select is honoured as Graph does: only the named properties (and id) come back.
    private static JsonObject UserJson(GraphSimUser user, HttpContext c)
    {
        var all = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = user.Id,
            ["userPrincipalName"] = user.UserPrincipalName,
            ["displayName"] = user.DisplayName,
            ["accountEnabled"] = user.AccountEnabled,
            ["mail"] = user.UserPrincipalName,
        };
        var select = c.Request.Query["$select"].ToString();
        if (select.Length == 0)
        {
            return all;
        }

        var keep = select.Split(',', StringSplitOptions.TrimEntries).Append("id").Append("@odata.type").ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in all.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            all.Remove(name);
        }

        return all;
    }

    /// <summary>Writes one page of <paramref name="items"/> at $skiptoken (an offset here), with nextLink or deltaLink.</summary>
    private Task PageAsync(HttpContext c, List<JsonObject> items, string context, string? deltaToken = null)
    {
        var query = c.Request.Query;
        var size = int.TryParse(query["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top > 0 ? Math.Min(top, PageSize) : PageSize;
        var offset = int.TryParse(query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var skip) ? skip : 0;
        var page = items.Skip(offset).Take(size).ToList();
        var body = new JsonObject { ["@odata.context"] = context };
        var request = c.Request;
        var self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        var kept = query.Where(q => q.Key is not "$skiptoken" and not "$deltatoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}");
        if (offset + size < items.Count)
        {
            // Delta rounds keep the token the round started from, so a later page still reads the same changes.
            var token = query["$deltatoken"].ToString();
            body["@odata.nextLink"] = $"{self}?{string.Join('&', kept.Append($"$skiptoken={offset + size}").Concat(token.Length > 0 && token != "latest" ? [$"$deltatoken={token}"] : []))}";
        }
        else if (deltaToken is not null)
        {
            body["@odata.deltaLink"] = $"{self}?{string.Join('&', kept.Append($"$deltatoken={deltaToken}"))}";
        }

        body["value"] = new JsonArray([.. page.Select(i => (JsonNode)i)]);
        return c.Response.WriteAsJsonAsync(body, c.RequestAborted);
    }

    private static IResult Ok(Action action)
    {
        try
        {
            action();
            return Results.NoContent();
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return Results.NotFound(e.Message);
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }
}
