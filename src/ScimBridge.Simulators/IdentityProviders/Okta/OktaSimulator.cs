using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators.IdentityProviders.Okta;

/// <summary>An Okta user: id (00u…), login, status (ACTIVE, SUSPENDED, DEPROVISIONED…) and names.</summary>
public sealed record OktaSimUser(string Id, string Login, string Status, string FirstName = "", string LastName = "");

/// <summary>An Okta group (00g…) with its user members.</summary>
public sealed record OktaSimGroup(string Id, string Name, IReadOnlyList<string> Members);

/// <summary>The seed and /_sim/state format: the org's users and groups and one app's user and group assignments.</summary>
public sealed record OktaSimState(
    string AppId,
    IReadOnlyList<OktaSimUser> Users,
    IReadOnlyList<OktaSimGroup> Groups,
    IReadOnlyList<string> AssignedUsers,
    IReadOnlyList<string> AssignedGroups);

/// <summary>
/// The slice of the Okta management API (developer.okta.com/docs/api/openapi/okta-management/) that an IdP check reads,
/// with the real paths and shapes: <c>GET /api/v1/apps/{appId}/users</c> (Application User objects: scope USER or
/// GROUP, <c>credentials.userName</c>, the Okta user under <c>_embedded.user</c> with <c>expand=user</c>),
/// <c>GET /api/v1/apps/{appId}/groups</c> (the group under <c>_embedded.group</c> with <c>expand=group</c>),
/// <c>GET /api/v1/groups/{groupId}/users</c> and <c>GET /api/v1/users/{id}</c>. Bare JSON arrays paged by
/// <c>limit</c> and <c>after</c> with RFC 8288 <c>Link</c> headers (<c>rel="self"</c>, <c>rel="next"</c>); every
/// answer carries <c>X-Rate-Limit-Limit/-Remaining/-Reset</c> (reset in UTC epoch seconds), and a 429 has those with
/// Remaining 0 and no Retry-After, as Okta sends it (developer.okta.com/docs/reference/rl-best-practices/). Errors are
/// <c>{errorCode, errorSummary, errorLink, errorId, errorCauses}</c>; the API token goes as <c>SSWS {token}</c>.
/// </summary>
public sealed class OktaSimulator(TimeProvider time) : ISimulatedPlatform
{
    private const int RateLimit = 600;

    private readonly Lock _gate = new();
    private readonly List<OktaSimUser> _users = [];
    private readonly List<OktaSimGroup> _groups = [];
    private readonly List<string> _assignedUsers = [];
    private readonly List<string> _assignedGroups = [];

    public string Name => "okta";

    public string BasePath => "/";

    public string AppId { get; private set; } = "0oa1simulatedapp0001";

    /// <summary>When set, no page holds more than this whatever limit asks; tests lower it to force paging.</summary>
    public int? PageSizeCap { get; set; }

    public bool IsAuthorized(HttpRequest request, string adminKey)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("SSWS ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[5..].Trim()), Encoding.UTF8.GetBytes(adminKey));
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var (code, summary) = status switch
        {
            401 => ("E0000011", "Invalid token provided"),
            403 => ("E0000006", "You do not have permission to perform the requested action"),
            404 => ("E0000007", $"Not found: {message}"),
            429 => ("E0000047", "API call exceeded rate limit due to too many requests."),
            >= 500 => ("E0000009", "Internal Server Error"),
            _ => ("E0000001", $"Api validation failed: {message}"),
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            // Okta says when to come back through X-Rate-Limit-Reset, not Retry-After: move the host's delay there.
            var wait = int.TryParse(context.Response.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 1;
            context.Response.Headers.Remove("Retry-After");
            SetRateLimitHeaders(context, remaining: 0, resetIn: TimeSpan.FromSeconds(wait));
        }

        context.Response.StatusCode = status;
        var body = new JsonObject
        {
            ["errorCode"] = code,
            ["errorSummary"] = summary,
            ["errorLink"] = code,
            ["errorId"] = "oae" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22),
            ["errorCauses"] = new JsonArray(),
        };
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1");
        api.MapGet("/apps/{appId}/users", AppUsersAsync);
        api.MapGet("/apps/{appId}/groups", AppGroupsAsync);
        api.MapGet("/groups/{groupId}/users", GroupUsersAsync);
        api.MapGet("/users/{id}", UserAsync);

        // What an admin does in the Okta Admin Console, for tests and the demo (under /_sim: no token needed).
        var sim = routes.MapGroup("/_sim/okta");
        sim.MapPost("/users", (OktaSimUser user) => Run(() => UpsertUser(user)));
        sim.MapPost("/groups", (OktaSimGroup group) => Run(() => UpsertGroup(group)));
        sim.MapPost("/groups/{id}/users/{userId}", (string id, string userId) => Run(() => AddMember(id, userId)));
        sim.MapDelete("/groups/{id}/users/{userId}", (string id, string userId) => Run(() => RemoveMember(id, userId)));
        sim.MapPost("/assignments/users/{userId}", (string userId) => Run(() => AssignUser(userId)));
        sim.MapDelete("/assignments/users/{userId}", (string userId) => Run(() => UnassignUser(userId)));
        sim.MapPost("/assignments/groups/{groupId}", (string groupId) => Run(() => AssignGroup(groupId)));
        sim.MapDelete("/assignments/groups/{groupId}", (string groupId) => Run(() => UnassignGroup(groupId)));
    }

    public void Seed(Stream json)
    {
        var state = JsonSerializer.Deserialize<OktaSimState>(json, SimulatorHost.Json) ?? throw new InvalidDataException("The seed is empty.");
        lock (_gate)
        {
            AppId = state.AppId;
            _users.Clear();
            _users.AddRange(state.Users);
            _groups.Clear();
            _groups.AddRange(state.Groups);
            _assignedUsers.Clear();
            _assignedUsers.AddRange(state.AssignedUsers);
            _assignedGroups.Clear();
            _assignedGroups.AddRange(state.AssignedGroups);
        }
    }

    public object Snapshot() =>
        Locked(() => JsonSerializer.SerializeToNode(new OktaSimState(AppId, [.. _users], [.. _groups], [.. _assignedUsers], [.. _assignedGroups]), SimulatorHost.Json)!);

    public void UpsertUser(OktaSimUser user) => Locked(() => Replace(_users, user, u => u.Id));

    public void UpsertGroup(OktaSimGroup group) => Locked(() => Replace(_groups, group, g => g.Id));

    public void AddMember(string groupId, string userId) => Locked(() =>
    {
        var group = _groups.Single(g => g.Id == groupId);
        return Replace(_groups, group with { Members = [.. group.Members.Where(m => m != userId), userId] }, g => g.Id);
    });

    public void RemoveMember(string groupId, string userId) => Locked(() =>
    {
        var group = _groups.Single(g => g.Id == groupId);
        return Replace(_groups, group with { Members = [.. group.Members.Where(m => m != userId)] }, g => g.Id);
    });

    public void AssignUser(string userId) => Locked(() => AddOnce(_assignedUsers, userId));

    public void UnassignUser(string userId) => Locked(() => _assignedUsers.Remove(userId));

    public void AssignGroup(string groupId) => Locked(() => AddOnce(_assignedGroups, groupId));

    public void UnassignGroup(string groupId) => Locked(() => _assignedGroups.Remove(groupId));

    // App users: the directly assigned ones (scope USER) and the members of assigned groups (scope GROUP), in a
    // stable order so "after" cursors hold.
    private Task AppUsersAsync(HttpContext c, string appId)
    {
        if (!string.Equals(appId, AppId, StringComparison.Ordinal))
        {
            return WriteErrorAsync(c, 404, $"Resource not found: {appId} (AppInstance)");
        }

        var root = Root(c);
        var expandUser = c.Request.Query["expand"] == "user";
        var items = Locked(() =>
        {
            var direct = _assignedUsers.ToHashSet(StringComparer.Ordinal);
            var viaGroups = _groups.Where(g => _assignedGroups.Contains(g.Id)).SelectMany(g => g.Members).ToHashSet(StringComparer.Ordinal);
            return _users.Where(u => direct.Contains(u.Id) || viaGroups.Contains(u.Id)).Select(u =>
            {
                var appUser = new JsonObject
                {
                    ["id"] = u.Id,
                    ["externalId"] = null,
                    ["created"] = "2026-01-01T00:00:00.000Z",
                    ["lastUpdated"] = "2026-01-01T00:00:00.000Z",
                    ["scope"] = direct.Contains(u.Id) ? "USER" : "GROUP",
                    ["status"] = "PROVISIONED",
                    ["statusChanged"] = "2026-01-01T00:00:00.000Z",
                    ["passwordChanged"] = null,
                    ["syncState"] = "SYNCHRONIZED",
                    ["credentials"] = new JsonObject { ["userName"] = u.Login },
                    ["profile"] = new JsonObject(),
                    ["_links"] = new JsonObject
                    {
                        ["app"] = new JsonObject { ["href"] = $"{root}api/v1/apps/{appId}" },
                        ["user"] = new JsonObject { ["href"] = $"{root}api/v1/users/{u.Id}" },
                    },
                };
                if (expandUser)
                {
                    appUser["_embedded"] = new JsonObject { ["user"] = UserJson(u, root) };
                }

                return (u.Id, (JsonNode)appUser);
            }).ToList();
        });
        return PageAsync(c, items, maxLimit: 500);
    }

    private Task AppGroupsAsync(HttpContext c, string appId)
    {
        if (!string.Equals(appId, AppId, StringComparison.Ordinal))
        {
            return WriteErrorAsync(c, 404, $"Resource not found: {appId} (AppInstance)");
        }

        var root = Root(c);
        var expandGroup = c.Request.Query["expand"] == "group";
        var items = Locked(() => _groups.Where(g => _assignedGroups.Contains(g.Id)).Select(g =>
        {
            var assignment = new JsonObject
            {
                ["id"] = g.Id,
                ["lastUpdated"] = "2026-01-01T00:00:00.000Z",
                ["priority"] = 0,
                ["profile"] = new JsonObject(),
                ["_links"] = new JsonObject
                {
                    ["app"] = new JsonObject { ["href"] = $"{root}api/v1/apps/{appId}" },
                    ["group"] = new JsonObject { ["href"] = $"{root}api/v1/groups/{g.Id}" },
                },
            };
            if (expandGroup)
            {
                assignment["_embedded"] = new JsonObject
                {
                    ["group"] = new JsonObject
                    {
                        ["id"] = g.Id,
                        ["objectClass"] = new JsonArray("okta:user_group"),
                        ["type"] = "OKTA_GROUP",
                        ["profile"] = new JsonObject { ["name"] = g.Name, ["description"] = null },
                    },
                };
            }

            return (g.Id, (JsonNode)assignment);
        }).ToList());
        return PageAsync(c, items, maxLimit: 200);
    }

    private Task GroupUsersAsync(HttpContext c, string groupId)
    {
        var root = Root(c);
        var items = Locked(() => _groups.FirstOrDefault(g => g.Id == groupId) is { } group
            ? group.Members.Select(m => _users.FirstOrDefault(u => u.Id == m)).OfType<OktaSimUser>().Select(u => (u.Id, (JsonNode)UserJson(u, root))).ToList()
            : null);
        return items is null ? WriteErrorAsync(c, 404, $"Resource not found: {groupId} (UserGroup)") : PageAsync(c, items, maxLimit: 1000);
    }

    private Task UserAsync(HttpContext c, string id)
    {
        var user = Locked(() => _users.FirstOrDefault(u => u.Id == id || string.Equals(u.Login, id, StringComparison.OrdinalIgnoreCase)));
        if (user is null)
        {
            return WriteErrorAsync(c, 404, $"Resource not found: {id} (User)");
        }

        SetRateLimitHeaders(c, RateLimit - 1, TimeSpan.FromMinutes(1));
        return c.Response.WriteAsJsonAsync(UserJson(user, Root(c)), c.RequestAborted);
    }

    /// <summary>A page of a bare array after the item with id <c>after</c>, with Link self/next and the rate-limit headers.</summary>
    private Task PageAsync(HttpContext c, List<(string Id, JsonNode Item)> items, int maxLimit)
    {
        var query = c.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, maxLimit) : maxLimit;
        limit = Math.Min(limit, PageSizeCap ?? int.MaxValue);
        var after = query["after"].ToString();
        var start = after.Length == 0 ? 0 : items.FindIndex(i => i.Id == after) + 1;
        var page = items.Skip(start).Take(limit).ToList();
        var request = c.Request;
        var self = $"{request.Scheme}://{request.Host}{request.Path}";
        var kept = query.Where(q => q.Key is not "after" and not "limit").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
        var links = new List<string> { $"<{self}?{string.Join('&', kept.Append($"limit={limit}"))}>; rel=\"self\"" };
        if (start + limit < items.Count)
        {
            links.Add($"<{self}?{string.Join('&', kept.Append($"after={Uri.EscapeDataString(page[^1].Id)}").Append($"limit={limit}"))}>; rel=\"next\"");
        }

        c.Response.Headers.Append("Link", links.ToArray());
        SetRateLimitHeaders(c, RateLimit - 1, TimeSpan.FromMinutes(1));
        return c.Response.WriteAsJsonAsync(new JsonArray([.. page.Select(p => p.Item)]), c.RequestAborted);
    }

    private void SetRateLimitHeaders(HttpContext c, int remaining, TimeSpan resetIn)
    {
        c.Response.Headers["X-Rate-Limit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        c.Response.Headers["X-Rate-Limit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        c.Response.Headers["X-Rate-Limit-Reset"] = time.GetUtcNow().Add(resetIn).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    private static JsonObject UserJson(OktaSimUser u, string root) => new()
    {
        ["id"] = u.Id,
        ["status"] = u.Status,
        ["created"] = "2026-01-01T00:00:00.000Z",
        ["activated"] = "2026-01-01T00:00:00.000Z",
        ["statusChanged"] = "2026-01-01T00:00:00.000Z",
        ["lastLogin"] = null,
        ["lastUpdated"] = "2026-01-01T00:00:00.000Z",
        ["passwordChanged"] = null,
        ["type"] = new JsonObject { ["id"] = "oty1simulatedtype0001" },
        ["profile"] = new JsonObject { ["firstName"] = u.FirstName, ["lastName"] = u.LastName, ["login"] = u.Login, ["email"] = u.Login },
        ["credentials"] = new JsonObject { ["provider"] = new JsonObject { ["type"] = "OKTA", ["name"] = "OKTA" } },
        ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"{root}api/v1/users/{u.Id}" } },
    };

    private static string Root(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}/";

    private static bool Replace<T>(List<T> list, T item, Func<T, string> id)
    {
        var index = list.FindIndex(x => id(x) == id(item));
        if (index < 0)
        {
            list.Add(item);
        }
        else
        {
            list[index] = item;
        }

        return true;
    }

    private static bool AddOnce(List<string> list, string id)
    {
        if (!list.Contains(id))
        {
            list.Add(id);
        }

        return true;
    }

    private static IResult Run(Action action)
    {
        try
        {
            action();
            return Results.NoContent();
        }
        catch (InvalidOperationException e)
        {
            return Results.NotFound(e.Message);
        }
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }
}
