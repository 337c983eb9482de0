using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Scim;

/// <summary>
/// The SCIM 2.0 calls ScimBridge makes as a client (RFC 7644 §3): /Users and /Groups with startIndex/count paging,
/// PATCH and DELETE. Bodies go out as application/scim+json.
/// </summary>
internal sealed class ScimClient(HttpClient http, PlatformTarget target, PlatformTargetOptions options, ILogger logger, TimeProvider time)
    : PlatformHttpClient(http, target, options, logger, time)
{
    private static readonly MediaTypeHeaderValue ScimMediaType = new(ScimSchemas.MediaType);

    public Task<ScimListResponse<ScimUser>> ListUsersAsync(int startIndex, int count, string? filter, CancellationToken cancellationToken) =>
        SendAsync(new PlatformRequest(HttpMethod.Get, "Users" + Query(startIndex, count, filter, null), "scim.users.list"), ScimJsonContext.Default.ScimListResponseScimUser, cancellationToken);

    public Task<ScimUser?> GetUserAsync(string id, CancellationToken cancellationToken) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, "Users/" + Uri.EscapeDataString(id), "scim.users.get"), ScimJsonContext.Default.ScimUser, cancellationToken);

    public Task<ScimUser> CreateUserAsync(ScimUser user, CancellationToken cancellationToken) =>
        SendAsync(
            new PlatformRequest(HttpMethod.Post, "Users", "scim.users.create") { Content = Json(user, ScimJsonContext.Default.ScimUser), Idempotent = false },
            ScimJsonContext.Default.ScimUser,
            cancellationToken);

    /// <summary>False when the target answered 404.</summary>
    public Task<bool> PatchUserAsync(string id, ScimPatchRequest patch, CancellationToken cancellationToken) =>
        SendExpectingNoBodyAsync(
            new PlatformRequest(HttpMethod.Patch, "Users/" + Uri.EscapeDataString(id), "scim.users.patch") { Content = Json(patch, ScimJsonContext.Default.ScimPatchRequest) },
            allowNotFound: true,
            cancellationToken);

    public Task<bool> DeleteUserAsync(string id, CancellationToken cancellationToken) =>
        SendExpectingNoBodyAsync(new PlatformRequest(HttpMethod.Delete, "Users/" + Uri.EscapeDataString(id), "scim.users.delete"), allowNotFound: true, cancellationToken);

    // excludedAttributes=members keeps a page of large groups small; Entra lists groups the same way (E18, E19).
    public Task<ScimListResponse<ScimGroup>> ListGroupsAsync(int startIndex, int count, string? filter, CancellationToken cancellationToken) =>
        SendAsync(new PlatformRequest(HttpMethod.Get, "Groups" + Query(startIndex, count, filter, "excludedAttributes=members"), "scim.groups.list"), ScimJsonContext.Default.ScimListResponseScimGroup, cancellationToken);

    public Task<ScimGroup?> GetGroupMembersAsync(string id, CancellationToken cancellationToken) =>
        SendOrNotFoundAsync(new PlatformRequest(HttpMethod.Get, "Groups/" + Uri.EscapeDataString(id) + "?attributes=members", "scim.groups.get"), ScimJsonContext.Default.ScimGroup, cancellationToken);

    public Task<ScimGroup> CreateGroupAsync(ScimGroup group, CancellationToken cancellationToken) =>
        SendAsync(
            new PlatformRequest(HttpMethod.Post, "Groups", "scim.groups.create") { Content = Json(group, ScimJsonContext.Default.ScimGroup), Idempotent = false },
            ScimJsonContext.Default.ScimGroup,
            cancellationToken);

    public Task<bool> PatchGroupAsync(string id, ScimPatchRequest patch, CancellationToken cancellationToken) =>
        SendExpectingNoBodyAsync(
            new PlatformRequest(HttpMethod.Patch, "Groups/" + Uri.EscapeDataString(id), "scim.groups.patch") { Content = Json(patch, ScimJsonContext.Default.ScimPatchRequest) },
            allowNotFound: true,
            cancellationToken);

    public Task<bool> DeleteGroupAsync(string id, CancellationToken cancellationToken) =>
        SendExpectingNoBodyAsync(new PlatformRequest(HttpMethod.Delete, "Groups/" + Uri.EscapeDataString(id), "scim.groups.delete"), allowNotFound: true, cancellationToken);

    protected override PlatformErrorBody ParseError(ReadOnlySpan<byte> body)
    {
        var error = JsonSerializer.Deserialize(body, ScimJsonContext.Default.ScimError);
        return new PlatformErrorBody(error?.ScimType, error?.Detail);
    }

    // A uniqueness error is a conflict even from targets that answer it with 400 instead of RFC 7644's 409.
    protected override PlatformErrorKind? ClassifyError(HttpStatusCode status, PlatformErrorBody body) =>
        string.Equals(body.Code, "uniqueness", StringComparison.OrdinalIgnoreCase) ? PlatformErrorKind.Conflict : null;

    /// <summary>
    /// A filter comparing <paramref name="attribute"/> to a string. The value is a JSON string literal (RFC 7644
    /// §3.4.2.2) escaped only where it must be: targets that do not decode \u escapes would miss "a+b@x" as "a\u002Bb@x".
    /// </summary>
    public static string EqualsFilter(string attribute, string value) =>
        $"{attribute} eq \"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private static string Query(int startIndex, int count, string? filter, string? extra)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"?startIndex={startIndex}&count={count}");
        if (filter is not null)
        {
            query += "&filter=" + Uri.EscapeDataString(filter);
        }

        return extra is null ? query : query + "&" + extra;
    }

    private static JsonContent Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonContent.Create(value, type, ScimMediaType);
}
