using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScimBridge.Core.Connections;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Platforms.IdentityProviders.Okta;

/// <summary>
/// How to read one Okta org's app: its org URL, an API token (sent as <c>SSWS</c>), the app id, and how long a
/// rate-limit wait may be before the read gives up.
/// </summary>
public sealed record OktaDirectorySettings(
    string ConnectionName,
    Uri OrgUrl,
    string ApiToken,
    string AppId,
    int MaxRateLimitRetries = 5,
    TimeSpan? MaxRateLimitWait = null);

/// <summary>
/// Okta through its management API with a typed <see cref="HttpClient"/> (Okta.Sdk is not on our registry):
/// <c>GET /api/v1/apps/{appId}/users?expand=user</c> (every assigned user, directly or through a group, with the Okta
/// user and its status embedded), <c>GET /api/v1/apps/{appId}/groups?expand=group</c> and
/// <c>GET /api/v1/groups/{id}/users</c>, each paged by following the <c>Link: &lt;…&gt;; rel="next"</c> header
/// (developer.okta.com/docs/api/#pagination). Rate limits (developer.okta.com/docs/reference/rl-best-practices/):
/// when <c>X-Rate-Limit-Remaining</c> reaches 0, or a 429 comes, the read waits until <c>X-Rate-Limit-Reset</c>
/// (UTC epoch seconds, measured against the response's <c>Date</c> so clock skew does not matter), at most
/// <see cref="OktaDirectorySettings.MaxRateLimitRetries"/> times. Okta offers no delta for app assignments or group
/// membership (they are not changes of the user, so a <c>lastUpdated gt</c> filter on users misses them), so every
/// read is a full read.
/// </summary>
public sealed partial class OktaDirectory(OktaDirectorySettings settings, HttpClient http, TimeProvider time) : IIdpDirectory
{
    private const int AppUsersLimit = 500;
    private const int AppGroupsLimit = 200;
    private const int GroupUsersLimit = 1000;

    // Okta's lifecycle states (developer.okta.com/docs/reference/api/users/#user-status): SUSPENDED and DEPROVISIONED
    // users cannot sign in; Okta pushes active=false for them.
    private static readonly HashSet<string> DisabledStatuses = new(StringComparer.OrdinalIgnoreCase) { "SUSPENDED", "DEPROVISIONED" };

    private int _requests;
    private int _pages;
    private int _throttled;

    public string ConnectionName => settings.ConnectionName;

    public IdpKind Kind => IdpKind.Okta;

    public async Task<IdpReadResult> ReadAsync(IdpView? previous, string? cursor, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IdpReadException("Okta did not answer in time.", e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A body that is not the documented shape: report it, never compare a view read from it.
            throw new IdpReadException($"Okta answered something unexpected: {e.Message}", e);
        }
    }

    private async Task<IdpReadResult> ReadAllAsync(CancellationToken cancellationToken)
    {
        _requests = _pages = _throttled = 0;
        var users = new Dictionary<string, IdpUser>(StringComparer.Ordinal);
        var app = Uri.EscapeDataString(settings.AppId);
        await foreach (var appUser in ListAsync($"api/v1/apps/{app}/users?limit={AppUsersLimit}&expand=user", cancellationToken).ConfigureAwait(false))
        {
            var id = appUser.GetProperty("id").GetString()!;
            var embedded = appUser.TryGetProperty("_embedded", out var e) && e.TryGetProperty("user", out var u) ? u : (JsonElement?)null;
            var userName = appUser.TryGetProperty("credentials", out var credentials) && credentials.TryGetProperty("userName", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : embedded is { } user ? Login(user) : id;
            users[id] = new IdpUser(id, userName, embedded is not { } status || Enabled(status), embedded is { } named ? DisplayName(named) : null);
        }

        var groups = new Dictionary<string, IdpGroup>(StringComparer.Ordinal);
        var assigned = new List<(string Id, string Name)>();
        await foreach (var assignment in ListAsync($"api/v1/apps/{app}/groups?limit={AppGroupsLimit}&expand=group", cancellationToken).ConfigureAwait(false))
        {
            var id = assignment.GetProperty("id").GetString()!;
            var name = assignment.TryGetProperty("_embedded", out var e) && e.TryGetProperty("group", out var g) && g.TryGetProperty("profile", out var p)
                && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()!
                : id;
            assigned.Add((id, name));
        }

        foreach (var (id, name) in assigned)
        {
            var members = new List<string>();
            await foreach (var member in ListAsync($"api/v1/groups/{Uri.EscapeDataString(id)}/users?limit={GroupUsersLimit}", cancellationToken).ConfigureAwait(false))
            {
                var memberId = member.GetProperty("id").GetString()!;
                members.Add(memberId);

                // Every member of an assigned group is an app user; one missing from the first list joined in between.
                users.TryAdd(memberId, new IdpUser(memberId, Login(member), Enabled(member), DisplayName(member)));
            }

            groups[id] = new IdpGroup(id, name, members);
        }

        return new IdpReadResult(new IdpView(users, groups), null, new IdpReadStats(_requests, _pages, _throttled, Incremental: false));
    }

    /// <summary>Every item of a paged list, page by page through the Link headers.</summary>
    private async IAsyncEnumerable<JsonElement> ListAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = new(settings.OrgUrl, path);
        while (next is not null)
        {
            using var response = await SendAsync(next, cancellationToken).ConfigureAwait(false);
            _pages++;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                yield return item.Clone();
            }

            next = NextLink(response);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("SSWS", settings.ApiToken);
            request.Headers.Accept.ParseAdd("application/json");
            HttpResponseMessage response;
            try
            {
                _requests++;
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new IdpReadException($"Okta could not be reached: {e.Message}", e);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                _throttled++;
                var wait = ResetWait(response) ?? response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                var limit = settings.MaxRateLimitWait ?? TimeSpan.FromMinutes(1);
                if (attempt >= settings.MaxRateLimitRetries || wait > limit)
                {
                    throw new IdpReadException($"Okta kept answering 429 (rate limit); the read gave up after {attempt + 1} attempts (next window in {wait.TotalSeconds:0}s).");
                }

                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new IdpReadException($"Okta answered {status} for {url.AbsolutePath}: {ErrorSummary(body)}");
            }

            // Spend the last request of a window, then wait for the next one rather than earning a 429.
            if (Header(response, "X-Rate-Limit-Remaining") is "0" && ResetWait(response) is { } pause && pause > TimeSpan.Zero
                && pause <= (settings.MaxRateLimitWait ?? TimeSpan.FromMinutes(1)))
            {
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }

            return response;
        }
    }

    /// <summary>Time until X-Rate-Limit-Reset, measured from the response's Date (Okta's clock), else ours.</summary>
    private TimeSpan? ResetWait(HttpResponseMessage response)
    {
        if (!long.TryParse(Header(response, "X-Rate-Limit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            return null;
        }

        var now = response.Headers.Date ?? time.GetUtcNow();
        var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            if (NextRelation().Match(link) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string ErrorSummary(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("errorSummary", out var summary)
                ? $"{document.RootElement.GetProperty("errorCode").GetString()} {summary.GetString()}"
                : body[..Math.Min(body.Length, 200)];
        }
        catch (JsonException)
        {
            return body[..Math.Min(body.Length, 200)];
        }
    }

    private static bool Enabled(JsonElement user) =>
        !(user.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && DisabledStatuses.Contains(status.GetString()!));

    private static string Login(JsonElement user) =>
        user.TryGetProperty("profile", out var profile) && profile.TryGetProperty("login", out var login) && login.ValueKind == JsonValueKind.String
            ? login.GetString()!
            : user.GetProperty("id").GetString()!;

    private static string? DisplayName(JsonElement user)
    {
        if (!user.TryGetProperty("profile", out var profile))
        {
            return null;
        }

        var first = profile.TryGetProperty("firstName", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var last = profile.TryGetProperty("lastName", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        var name = $"{first} {last}".Trim();
        return name.Length == 0 ? null : name;
    }

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"next\"", RegexOptions.CultureInvariant)]
    private static partial Regex NextRelation();
}
