using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimBridge.Simulators.Cursor;

/// <summary>
/// The part of Cursor's SCIM 2.0 endpoint that user provisioning uses: a user assigned in the IdP becomes a team
/// member, an unassigned (deleted or deactivated) one is removed (cursor.com/docs/account/teams/scim, "User
/// provisioning"). Filtering is the one form IdPs send, <c>userName eq "…"</c>. Groups sync read-only into Cursor and
/// are not simulated. Authenticated with <see cref="ScimToken"/>, not the Admin API key.
/// </summary>
public sealed partial class CursorSimulator
{
    private const string ScimMediaType = "application/scim+json";
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    private const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, string> _scimExternalIds = new(StringComparer.Ordinal);

    [GeneratedRegex("""^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserNameFilter();

    private void MapScim(IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/scim/v2/Users");
        users.MapGet("/", ListScimUsers);
        users.MapGet("/{id}", (string id, HttpRequest request) =>
        {
            lock (_gate)
            {
                return _memberById.TryGetValue(id, out var i) ? Scim(ScimUser(_members[i], request), StatusCodes.Status200OK) : ScimNotFound(id);
            }
        });
        users.MapPost("/", CreateScimUserAsync);
        users.MapPatch("/{id}", PatchScimUserAsync);
        users.MapDelete("/{id}", (string id) =>
        {
            lock (_gate)
            {
                if (!_memberById.TryGetValue(id, out var i) || _members[i].IsRemoved)
                {
                    return ScimNotFound(id);
                }

                _members[i] = _members[i] with { IsRemoved = true };
                return Results.NoContent();
            }
        });
    }

    private ScimResult ListScimUsers(HttpRequest request)
    {
        var query = request.Query;
        string? userName = null;
        if (query["filter"].ToString() is { Length: > 0 } filter)
        {
            var match = UserNameFilter().Match(filter);
            if (!match.Success)
            {
                return ScimError(StatusCodes.Status400BadRequest, "invalidFilter", "Only filter=userName eq \"…\" is supported.");
            }

            userName = match.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        var startIndex = Math.Max(1, int.TryParse(query["startIndex"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 1);
        var count = Math.Clamp(int.TryParse(query["count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 100, 0, 100);
        lock (_gate)
        {
            List<CursorSimMember> candidates = userName is null ? _members
                : _memberByEmail.TryGetValue(userName, out var i) ? [_members[i]] : [];
            var resources = new JsonArray([.. candidates.Skip(startIndex - 1).Take(count).Select(m => (JsonNode)ScimUser(m, request))]);
            return Scim(
                new JsonObject
                {
                    ["schemas"] = new JsonArray(ListSchema),
                    ["totalResults"] = candidates.Count,
                    ["startIndex"] = startIndex,
                    ["itemsPerPage"] = resources.Count,
                    ["Resources"] = resources,
                },
                StatusCodes.Status200OK);
        }
    }

    private async Task<IResult> CreateScimUserAsync(HttpRequest request)
    {
        if (await ReadObjectAsync(request) is not { } body)
        {
            return ScimError(StatusCodes.Status400BadRequest, "invalidSyntax", "The body is not a JSON object.");
        }

        if (body["userName"]?.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(body["userName"]!.GetValue<string>()))
        {
            return ScimError(StatusCodes.Status400BadRequest, "invalidValue", "userName is required.");
        }

        var userName = body["userName"]!.GetValue<string>();
        var email = PrimaryEmail(body) ?? userName;
        var name = DisplayName(body) ?? email;
        lock (_gate)
        {
            CursorSimMember member;
            if (_memberByEmail.TryGetValue(email, out var existing))
            {
                if (!_members[existing].IsRemoved)
                {
                    return ScimError(StatusCodes.Status409Conflict, "uniqueness", $"A user with userName {userName} already exists.");
                }

                // Assigned again after being unassigned: the same Cursor user rejoins.
                member = _members[existing] with { IsRemoved = false, Name = name };
            }
            else
            {
                member = new CursorSimMember("user_" + RandomNumberGenerator.GetString(IdAlphabet, 28), name, email, "member");
            }

            Put(member);
            if (body["externalId"]?.ToString() is { } externalId)
            {
                _scimExternalIds[member.Id] = externalId;
            }

            var resource = ScimUser(member, request);
            return Scim(resource, StatusCodes.Status201Created, resource["meta"]!["location"]!.GetValue<string>());
        }
    }

    private async Task<IResult> PatchScimUserAsync(string id, HttpRequest request)
    {
        if (await ReadObjectAsync(request) is not { } body || body["Operations"] is not JsonArray operations)
        {
            return ScimError(StatusCodes.Status400BadRequest, "invalidSyntax", "A PatchOp with Operations is required.");
        }

        lock (_gate)
        {
            if (!_memberById.TryGetValue(id, out var i))
            {
                return ScimNotFound(id);
            }

            var member = _members[i];
            foreach (var operation in operations.OfType<JsonObject>())
            {
                var op = operation["op"]?.ToString().ToUpperInvariant();
                if (op is not ("REPLACE" or "ADD"))
                {
                    continue;
                }

                // Path form {"path":"active","value":false} (Entra) or no-path {"value":{"active":false}} (Okta).
                var changes = operation["path"]?.ToString() is { } path ? new JsonObject { [path] = operation["value"]?.DeepClone() } : operation["value"] as JsonObject ?? [];
                foreach (var (key, value) in changes)
                {
                    if (key.Equals("active", StringComparison.OrdinalIgnoreCase) && Boolean(value) is { } active)
                    {
                        member = member with { IsRemoved = !active };
                    }
                    else if (key.Equals("displayName", StringComparison.OrdinalIgnoreCase) && value?.ToString() is { Length: > 0 } name)
                    {
                        member = member with { Name = name };
                    }
                }
            }

            _members[i] = member;
            return Scim(ScimUser(member, request), StatusCodes.Status200OK);
        }
    }

    private JsonObject ScimUser(CursorSimMember member, HttpRequest request)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray(UserSchema),
            ["id"] = member.Id,
            ["userName"] = member.Email,
            ["name"] = new JsonObject { ["formatted"] = member.Name },
            ["displayName"] = member.Name,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = member.Email, ["type"] = "work", ["primary"] = true }),
            ["active"] = !member.IsRemoved,
            ["meta"] = new JsonObject
            {
                ["resourceType"] = "User",
                ["location"] = $"{request.Scheme}://{request.Host}/scim/v2/Users/{member.Id}",
            },
        };
        if (_scimExternalIds.TryGetValue(member.Id, out var externalId))
        {
            user["externalId"] = externalId;
        }

        return user;
    }

    private static string? PrimaryEmail(JsonObject body) =>
        body["emails"] is JsonArray emails
            ? (emails.OfType<JsonObject>().FirstOrDefault(e => Boolean(e["primary"]) == true) ?? emails.OfType<JsonObject>().FirstOrDefault())?["value"]?.ToString()
            : null;

    private static string? DisplayName(JsonObject body) =>
        body["displayName"]?.ToString() is { Length: > 0 } display ? display
        : body["name"]?["formatted"]?.ToString() is { Length: > 0 } formatted ? formatted
        : string.Join(' ', new[] { body["name"]?["givenName"]?.ToString(), body["name"]?["familyName"]?.ToString() }.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } joined ? joined
        : null;

    // Entra without aadOptscim062020 sends "True"/"False" strings for booleans (E9).
    private static bool? Boolean(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => bool.TryParse(value.GetValue<string>(), out var b) ? b : null,
        _ => null,
    };

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ScimResult Scim(JsonObject body, int status, string? location = null) => new(body, status, location);

    private static ScimResult ScimNotFound(string id) => ScimError(StatusCodes.Status404NotFound, null, $"User {id} not found.");

    private static ScimResult ScimError(int status, string? scimType, string detail)
    {
        var error = new JsonObject
        {
            ["schemas"] = new JsonArray(ErrorSchema),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            error["scimType"] = scimType;
        }

        return new ScimResult(error, status, null);
    }

    private sealed class ScimResult(JsonObject body, int status, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = ScimMediaType;
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            return httpContext.Response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
        }
    }
}
