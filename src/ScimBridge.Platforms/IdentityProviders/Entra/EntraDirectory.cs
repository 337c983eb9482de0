using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using ScimBridge.Core.Connections;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Platforms.IdentityProviders.Entra;

/// <summary>
/// How to reach one Entra tenant's Graph as the app registration that reads it. PinnedCertificateSha256, when set,
/// makes TLS to Graph and the token endpoint accept exactly the certificate with this SHA-256 (hex) besides any the
/// platform trusts: for a test fake on loopback or a TLS-inspecting proxy. Unset in production. The enterprise app is
/// named by its ServicePrincipalId (object id), or by its AppId (client id), resolved once through
/// <c>GET /servicePrincipals(appId='…')</c>.
/// </summary>
public sealed record EntraDirectorySettings(
    string ConnectionName,
    string TenantId,
    string ClientId,
    string ClientSecret,
    string? ServicePrincipalId,
    Uri GraphBaseUrl,
    Uri AuthorityHost,
    string? PinnedCertificateSha256 = null,
    string? AppId = null);

/// <summary>
/// Entra ID through the Microsoft Graph SDK (learn.microsoft.com/graph/api/…), as the provisioning service sees the
/// app: its service principal's <c>appRoleAssignedTo</c> (users and groups assigned), the direct <c>members</c> of each
/// assigned group ("if an app role is assigned to a group, direct members of the group are also considered to have been
/// assigned the app role": learn.microsoft.com/graph/api/resources/approleassignment), and each user's
/// <c>accountEnabled</c>. The first read takes deltaLinks for <c>/users/delta</c> and
/// <c>/groups/delta</c> with <c>$deltatoken=latest</c> (a link for "now" without enumerating the tenant) and then
/// reads the assignments in full; later reads follow those links, so only users and memberships that changed are
/// read, plus the assignments (appRoleAssignedTo has no delta) and groups newly assigned. Throttling: the SDK's
/// RetryHandler waits out Graph's 429 with its Retry-After (learn.microsoft.com/graph/throttling), three times.
/// </summary>
public sealed class EntraDirectory : IIdpDirectory
{
    private static readonly string[] UserFields = ["id", "userPrincipalName", "displayName", "accountEnabled"];
    private static readonly Dictionary<string, ParsableFactory<IParsable>> Errors = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly EntraDirectorySettings _settings;
    private readonly ClientSecretCredential _credential;
    private string? _servicePrincipalId;

    public EntraDirectory(EntraDirectorySettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _servicePrincipalId = string.IsNullOrWhiteSpace(settings.ServicePrincipalId) ? null : settings.ServicePrincipalId;

        // One credential per connection: MSAL caches its token in it until shortly before expiry.
        _credential = new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = settings.AuthorityHost,

            // Instance discovery asks login.microsoftonline.com which authorities exist; a sovereign cloud's or a
            // fake's authority is not in that list, so it is skipped and the authority host is taken as given.
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(Handler()),
        });
    }

    public string ConnectionName => _settings.ConnectionName;

    public IdpKind Kind => IdpKind.Entra;

    public async Task<IdpReadResult> ReadAsync(IdpView? previous, string? cursor, CancellationToken cancellationToken)
    {
        var counter = new RequestCounter();
        using var http = GraphClientFactory.Create([.. GraphClientFactory.CreateDefaultHandlers(), counter], "v1.0", GraphClientFactory.Global_Cloud, null, Handler());
        var auth = new AzureIdentityAuthenticationProvider(_credential, [_settings.GraphBaseUrl.Host], null, true, "https://graph.microsoft.com/.default");
        using var graph = new GraphServiceClient(http, auth, _settings.GraphBaseUrl.AbsoluteUri.TrimEnd('/'));
        try
        {
            var links = cursor is null ? null : JsonSerializer.Deserialize<DeltaLinks>(cursor);
            var (view, next, incremental) = previous is null || links is null
                ? await ReadAllAsync(graph, counter, cancellationToken).ConfigureAwait(false)
                : await ReadChangesAsync(graph, counter, previous, links, cancellationToken).ConfigureAwait(false);
            return new IdpReadResult(view, JsonSerializer.Serialize(next), new IdpReadStats(counter.Requests, counter.Pages, counter.Throttled, incremental));
        }
        catch (ODataError e) when (e.ResponseStatusCode == 410)
        {
            throw new IdpReadException($"Graph no longer accepts the stored deltaLink: {e.Error?.Code}.", e) { CursorExpired = true };
        }
        catch (ApiException e)
        {
            throw new IdpReadException($"Graph answered {e.ResponseStatusCode}: {(e as ODataError)?.Error?.Code} {(e as ODataError)?.Error?.Message}".TrimEnd(), e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new IdpReadException("Entra did not issue a token for the app registration (tenant, client id or secret).", e);
        }
        catch (HttpRequestException e)
        {
            throw new IdpReadException($"Graph could not be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IdpReadException("Graph did not answer in time.", e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A body that is not the documented shape: report it, never compare a view read from it.
            throw new IdpReadException($"Graph answered something unexpected: {e.Message}", e);
        }
    }

    private async Task<(IdpView View, DeltaLinks Links, bool Incremental)> ReadAllAsync(GraphServiceClient graph, RequestCounter counter, CancellationToken ct)
    {
        // The links are taken before the full read: a change made during it shows up again in the next delta, where
        // applying it twice is harmless; one made before the link and missed by the read cannot happen.
        var links = new DeltaLinks(
            (await DeltaAsync(graph, $"users/delta?$select={string.Join(',', UserFields)}&$deltatoken=latest", ct).ConfigureAwait(false)).Link,
            (await DeltaAsync(graph, "groups/delta?$select=displayName,members&$deltatoken=latest", ct).ConfigureAwait(false)).Link);
        var (directUsers, assignedGroups) = await AssignmentsAsync(graph, counter, ct).ConfigureAwait(false);
        var users = new Dictionary<string, IdpUser>(StringComparer.OrdinalIgnoreCase);
        var groups = new Dictionary<string, IdpGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, name) in assignedGroups)
        {
            groups[id] = await GroupAsync(graph, counter, id, name, users, ct).ConfigureAwait(false);
        }

        foreach (var id in directUsers.Where(id => !users.ContainsKey(id)))
        {
            if (await UserAsync(graph, counter, id, ct).ConfigureAwait(false) is { } user)
            {
                users[id] = user;
            }
        }

        return (new IdpView(users, groups), links, false);
    }

    private async Task<(IdpView View, DeltaLinks Links, bool Incremental)> ReadChangesAsync(
        GraphServiceClient graph, RequestCounter counter, IdpView previous, DeltaLinks links, CancellationToken ct)
    {
        var (userChanges, usersLink) = await DeltaAsync(graph, links.Users, ct).ConfigureAwait(false);
        var (groupChanges, groupsLink) = await DeltaAsync(graph, links.Groups, ct).ConfigureAwait(false);
        counter.Pages += userChanges.Count + groupChanges.Count;

        var known = new Dictionary<string, IdpUser>(previous.Users, StringComparer.OrdinalIgnoreCase);
        foreach (var change in userChanges.SelectMany(page => page))
        {
            var id = change.GetProperty("id").GetString()!;
            if (change.TryGetProperty("@removed", out _))
            {
                known.Remove(id);
            }
            else
            {
                known[id] = ToUser(change);
            }
        }

        // Member changes per group: members@delta lists added members, and removed ones with "@removed".
        var memberChanges = new Dictionary<string, (string? Name, List<(string Id, bool Removed)> Members)>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in groupChanges.SelectMany(page => page))
        {
            var id = change.GetProperty("id").GetString()!;
            var entry = memberChanges.TryGetValue(id, out var existing) ? existing : (null, []);
            if (change.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String)
            {
                entry.Name = name.GetString();
            }

            if (change.TryGetProperty("members@delta", out var members))
            {
                foreach (var member in members.EnumerateArray().Where(m => m.TryGetProperty("@odata.type", out var t) && t.GetString() == "#microsoft.graph.user"))
                {
                    entry.Members.Add((member.GetProperty("id").GetString()!, member.TryGetProperty("@removed", out _)));
                }
            }

            memberChanges[id] = entry;
        }

        var (directUsers, assignedGroups) = await AssignmentsAsync(graph, counter, ct).ConfigureAwait(false);
        var users = new Dictionary<string, IdpUser>(StringComparer.OrdinalIgnoreCase);
        var groups = new Dictionary<string, IdpGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, name) in assignedGroups)
        {
            if (!previous.Groups.TryGetValue(id, out var before))
            {
                // Newly assigned since the last read: the delta only has its changes, not its members.
                groups[id] = await GroupAsync(graph, counter, id, name, users, ct).ConfigureAwait(false);
                continue;
            }

            var members = new List<string>(before.MemberIds);
            var displayName = before.DisplayName;
            if (memberChanges.TryGetValue(id, out var changes))
            {
                displayName = changes.Name ?? displayName;
                foreach (var (memberId, removed) in changes.Members)
                {
                    members.RemoveAll(m => string.Equals(m, memberId, StringComparison.OrdinalIgnoreCase));
                    if (!removed)
                    {
                        members.Add(memberId);
                    }
                }
            }

            groups[id] = new IdpGroup(id, displayName, members);
        }

        foreach (var id in groups.Values.SelectMany(g => g.MemberIds).Concat(directUsers).Distinct(StringComparer.OrdinalIgnoreCase).Where(id => !users.ContainsKey(id)))
        {
            if (known.TryGetValue(id, out var user))
            {
                users[id] = user;
            }
            else if (await UserAsync(graph, counter, id, ct).ConfigureAwait(false) is { } fetched)
            {
                // In scope now but not last time and unchanged since (added to an assigned group, or newly assigned).
                users[id] = fetched;
            }
        }

        return (new IdpView(users, groups), new DeltaLinks(usersLink, groupsLink), true);
    }

    private async Task<(List<string> Users, List<(string Id, string Name)> Groups)> AssignmentsAsync(GraphServiceClient graph, RequestCounter counter, CancellationToken ct)
    {
        var users = new List<string>();
        var groups = new List<(string, string)>();
        if (_servicePrincipalId is null)
        {
            var principal = await graph.ServicePrincipalsWithAppId(_settings.AppId).GetAsync(q => q.QueryParameters.Select = ["id"], ct).ConfigureAwait(false);
            counter.Pages++;
            _servicePrincipalId = principal?.Id ?? throw new IdpReadException($"Entra has no service principal for app {_settings.AppId}.");
        }

        var builder = graph.ServicePrincipals[_servicePrincipalId].AppRoleAssignedTo;
        var page = await builder.GetAsync(q => q.QueryParameters.Top = 999, ct).ConfigureAwait(false);
        while (page is not null)
        {
            counter.Pages++;
            foreach (var assignment in page.Value ?? [])
            {
                var id = assignment.PrincipalId?.ToString();
                if (id is null)
                {
                    continue;
                }

                if (string.Equals(assignment.PrincipalType, "User", StringComparison.OrdinalIgnoreCase))
                {
                    users.Add(id);
                }
                else if (string.Equals(assignment.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase))
                {
                    groups.Add((id, assignment.PrincipalDisplayName ?? id));
                }
            }

            page = page.OdataNextLink is { } next ? await builder.WithUrl(next).GetAsync(cancellationToken: ct).ConfigureAwait(false) : null;
        }

        return (users.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), groups.DistinctBy(g => g.Item1, StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>An assigned group's direct user members (with their state, added to <paramref name="users"/>).</summary>
    private static async Task<IdpGroup> GroupAsync(
        GraphServiceClient graph, RequestCounter counter, string id, string name, Dictionary<string, IdpUser> users, CancellationToken ct)
    {
        var members = new List<string>();
        var builder = graph.Groups[id].Members;
        var page = await builder.GetAsync(q => { q.QueryParameters.Select = UserFields; q.QueryParameters.Top = 999; }, ct).ConfigureAwait(false);
        while (page is not null)
        {
            counter.Pages++;
            foreach (var member in (page.Value ?? []).OfType<User>().Where(u => u.Id is not null))
            {
                members.Add(member.Id!);
                users[member.Id!] = new IdpUser(member.Id!, member.UserPrincipalName ?? member.Id!, member.AccountEnabled ?? true, member.DisplayName);
            }

            page = page.OdataNextLink is { } next ? await builder.WithUrl(next).GetAsync(cancellationToken: ct).ConfigureAwait(false) : null;
        }

        return new IdpGroup(id, name, members);
    }

    private static async Task<IdpUser?> UserAsync(GraphServiceClient graph, RequestCounter counter, string id, CancellationToken ct)
    {
        try
        {
            var user = await graph.Users[id].GetAsync(q => q.QueryParameters.Select = UserFields, ct).ConfigureAwait(false);
            counter.Pages++;
            return user?.Id is null ? null : new IdpUser(user.Id, user.UserPrincipalName ?? user.Id, user.AccountEnabled ?? true, user.DisplayName);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            // Assigned but deleted since (an assignment outlives its user for a while): not in scope.
            return null;
        }
    }

    /// <summary>Follows a delta round to its deltaLink; the items are raw JSON (members@delta is not in the SDK's typed model).</summary>
    private static async Task<(List<List<JsonElement>> Pages, string Link)> DeltaAsync(GraphServiceClient graph, string urlOrPath, CancellationToken ct)
    {
        var url = urlOrPath.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || urlOrPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? urlOrPath
            : $"{graph.RequestAdapter.BaseUrl!.TrimEnd('/')}/{urlOrPath}";
        var pages = new List<List<JsonElement>>();
        while (true)
        {
            var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(url) };
            request.Headers.Add("Accept", "application/json");
            await using var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, Errors, ct).ConfigureAwait(false)
                ?? throw new IdpReadException("Graph returned an empty delta page.");
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
            var root = document.RootElement;
            pages.Add([.. root.GetProperty("value").EnumerateArray().Select(e => e.Clone())]);
            if (root.TryGetProperty("@odata.nextLink", out var next))
            {
                url = next.GetString()!;
            }
            else if (root.TryGetProperty("@odata.deltaLink", out var delta))
            {
                return (pages, delta.GetString()!);
            }
            else
            {
                throw new IdpReadException("A Graph delta round ended without a deltaLink.");
            }
        }
    }

    private static IdpUser ToUser(JsonElement user)
    {
        var id = user.GetProperty("id").GetString()!;
        return new IdpUser(
            id,
            user.TryGetProperty("userPrincipalName", out var upn) && upn.ValueKind == JsonValueKind.String ? upn.GetString()! : id,
            !user.TryGetProperty("accountEnabled", out var enabled) || enabled.ValueKind != JsonValueKind.False,
            user.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
    }

    private SocketsHttpHandler Handler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (_settings.PinnedCertificateSha256 is { Length: > 0 } pinned)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && string.Equals(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), pinned, StringComparison.OrdinalIgnoreCase));
        }

        return handler;
    }

    /// <summary>The cursor: the two deltaLinks to follow next time.</summary>
    private sealed record DeltaLinks(string Users, string Groups);

    /// <summary>Sits last in the Graph handler chain, so it sees every attempt, the retried 429s included.</summary>
    private sealed class RequestCounter : DelegatingHandler
    {
        public int Requests;
        public int Pages;
        public int Throttled;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref Throttled);
            }

            return response;
        }
    }
}
