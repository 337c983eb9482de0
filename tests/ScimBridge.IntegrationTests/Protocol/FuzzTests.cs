using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Protocol;

/// <summary>
/// Seeded random and mutated inputs over HTTP: whatever arrives, the server never answers 5xx, and every 4xx is a
/// SCIM error body. 300 cases per test keeps the suite fast; the seed is in the failure message.
/// </summary>
public sealed class FuzzTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private const int Cases = 300;

    private static readonly string[] Attributes =
    [
        "userName", "USERNAME", "name.familyName", "name.givenName", "emails", "emails.value", "emails.type", "emails.primary",
        "active", "title", "externalId", "id", "meta.lastModified", "meta.created", "meta.version", "meta", "displayName",
        "members", "members.value", "groups.value", "phoneNumbers.value", "addresses.locality", "roles.value", "manager",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:bogus:x", "name.", ".name", "emails[type eq \"work\"].value",
        "x", "userName.value", "name.familyName.x", "password", "schemas", "a-b", "$ref", "", " ",
    ];

    private static readonly string[] Operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "Pr", "xx", "=", "==", "in", ""];

    private static readonly string[] Values =
    [
        "\"a\"", "\"\"", "\"alice@x.com\"", "\"with \\\"quote\\\"\"", "\"\\u00e9\"", "\"\\\\\"", "\"é𝄞\"", "true", "false", "null",
        "0", "-1", "1.5e300", "99999999999999999999999", "\"2024-01-01T00:00:00Z\"", "\"not-a-date\"", "jyoung", "\"unterminated",
        "'single'", "[]", "{}", "\"\\x\"",
    ];

    private static readonly string[] SeedFilters =
    [
        "userName eq \"alice@x.com\"",
        "name.familyName eq \"x\" and (emails.value co \"a\" or emails.value co \"b\")",
        "not (active eq true)",
        "title pr",
        "meta.lastModified gt \"2024-01-01T00:00:00Z\"",
        "emails[type eq \"work\" and value ew \"@x.com\"]",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Eng\"",
        "id eq \"x\" and manager eq \"y\"",
        "userName sw \"a\" or userName ew \"b\" and not (externalId pr)",
    ];

    private static readonly string MutationCharacters = "\"()[]\\.: \t\n,'!&|=<>{}aZ0\u00e9\u0000\u200b";

    private readonly ScimServer _server = fixture.Server;

    [Fact]
    public async Task ListUsers_RandomFilters_NeverServerErrorAlwaysScimError()
    {
        using var client = await _server.ClientAsync(IdpKind.Generic);
        await SeedAsync(client);
        var random = new Random(7643);
        var failures = new List<string>();
        var statuses = new List<int>();
        for (var i = 0; i < Cases; i++)
        {
            statuses.Add(await CheckFilterAsync(client, RandomFilter(random, depth: 0), failures));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        AssertBothOutcomes(statuses);
    }

    [Fact]
    public async Task ListUsers_MutatedFilters_NeverServerErrorAlwaysScimError()
    {
        using var client = await _server.ClientAsync(IdpKind.Entra);
        await SeedAsync(client);
        var random = new Random(7644);
        var failures = new List<string>();
        var statuses = new List<int>();
        for (var i = 0; i < Cases; i++)
        {
            var filter = SeedFilters[random.Next(SeedFilters.Length)];
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                filter = Mutate(random, filter);
            }

            statuses.Add(await CheckFilterAsync(client, filter, failures));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        AssertBothOutcomes(statuses);
    }

    [Theory]
    [InlineData(IdpKind.Entra, "Users", 1)]
    [InlineData(IdpKind.Okta, "Users", 2)]
    [InlineData(IdpKind.Generic, "Users", 3)]
    [InlineData(IdpKind.Entra, "Groups", 11)]
    [InlineData(IdpKind.Okta, "Groups", 12)]
    [InlineData(IdpKind.Generic, "Groups", 13)]
    public async Task Patch_RandomBodies_NeverServerErrorAlwaysScimError(IdpKind kind, string resource, int seed)
    {
        using var client = await _server.ClientAsync(kind);
        var (userId, groupId) = await SeedAsync(client);
        var target = $"{resource}/{(resource == "Users" ? userId : groupId)}";
        var random = new Random(seed);
        var failures = new List<string>();
        var statuses = new List<int>();
        for (var i = 0; i < Cases / 3 * 2; i++)
        {
            statuses.Add(await CheckPatchAsync(client, target, RandomPatchBody(random, userId, groupId), failures));
        }

        var (get, _) = await client.SendAsync(HttpMethod.Get, target);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        AssertBothOutcomes(statuses);
    }

    private static async Task<(string UserId, string GroupId)> SeedAsync(HttpClient client)
    {
        var user = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com", JsonNode.Parse("""
            {"name":{"givenName":"A","familyName":"B"},"emails":[{"type":"work","value":"w@x.com","primary":true}],"title":"T","externalId":"e"}
            """)!.AsObject());
        var other = await client.CreateUserAsync($"{Guid.NewGuid():N}@x.com");
        var group = await client.CreateGroupAsync($"G-{Guid.NewGuid():N}", (string)other["id"]!);
        return ((string)user["id"]!, (string)group["id"]!);
    }

    private static async Task<int> CheckFilterAsync(HttpClient client, string filter, List<string> failures)
    {
        var response = await client.GetAsync($"Users?filter={Uri.EscapeDataString(filter)}");
        var text = await response.Content.ReadAsStringAsync();
        var problem = Problem(response, text, expectList: true);
        if (problem is not null)
        {
            failures.Add($"filter {JsonSerializer.Serialize(filter)}: {problem}");
        }

        return (int)response.StatusCode;
    }

    private static async Task<int> CheckPatchAsync(HttpClient client, string path, string body, List<string> failures)
    {
        using var content = ScimHttp.Json(body);
        var response = await client.PatchAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var problem = Problem(response, text, expectList: false);
        if (problem is not null)
        {
            failures.Add($"PATCH {path} {body}: {problem}");
        }

        return (int)response.StatusCode;
    }

    /// <summary>The generator must reach both the accepting and the rejecting paths, or the fuzz proves little.</summary>
    private static void AssertBothOutcomes(List<int> statuses)
    {
        var accepted = statuses.Count(s => s is >= 200 and < 300);
        var rejected = statuses.Count(s => s is >= 400 and < 500);
        Assert.True(accepted >= statuses.Count / 20 && rejected >= statuses.Count / 20, $"{accepted} accepted, {rejected} rejected of {statuses.Count}");
    }

    private static string? Problem(HttpResponseMessage response, string text, bool expectList)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"HTTP {status} {text}";
        }

        if (status is 200 or 204 && !expectList)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != ScimHttp.MediaType)
        {
            return $"HTTP {status} with Content-Type {response.Content.Headers.ContentType}";
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return $"HTTP {status}, body is not JSON: {text}";
        }

        if (status == 200)
        {
            return (string?)json?["schemas"]?[0] == "urn:ietf:params:scim:api:messages:2.0:ListResponse" ? null : $"HTTP 200 without a ListResponse: {text}";
        }

        if (status is < 400 or >= 500)
        {
            return $"unexpected HTTP {status}";
        }

        var isError = (string?)json?["schemas"]?[0] == "urn:ietf:params:scim:api:messages:2.0:Error"
            && (string?)json?["status"] == status.ToString(CultureInfo.InvariantCulture)
            && json?["detail"] is JsonValue;
        return isError ? null : $"HTTP {status} without a SCIM error body: {text}";
    }

    private static string RandomFilter(Random random, int depth)
    {
        var roll = random.Next(depth > 2 ? 6 : 10);
        return roll switch
        {
            <= 4 => Comparison(random),
            5 => new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => MutationCharacters[random.Next(MutationCharacters.Length)])]),
            6 => $"{RandomFilter(random, depth + 1)} {Pick(random, "and", "or", "AND", "Or", "xor", "")} {RandomFilter(random, depth + 1)}",
            7 => $"{Pick(random, "not", "NOT", "not ", "")}({RandomFilter(random, depth + 1)}{Pick(random, ")", "", "))")}",
            8 => $"{Pick(random, "emails", "members", "addresses", "name", "userName")}[{RandomFilter(random, depth + 1)}{Pick(random, "]", "", "]]")}{Pick(random, "", ".value", ".x")}",
            _ => $"({RandomFilter(random, depth + 1)})",
        };
    }

    private static string Comparison(Random random)
    {
        var op = Operators[random.Next(Operators.Length)];
        var attribute = Attributes[random.Next(Attributes.Length)];
        return op.Equals("pr", StringComparison.OrdinalIgnoreCase) && random.Next(3) > 0
            ? $"{attribute} {op}"
            : $"{attribute} {op} {Values[random.Next(Values.Length)]}";
    }

    private static string Mutate(Random random, string text)
    {
        if (text.Length == 0)
        {
            return MutationCharacters[random.Next(MutationCharacters.Length)].ToString();
        }

        var at = random.Next(text.Length);
        return random.Next(5) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, MutationCharacters[random.Next(MutationCharacters.Length)].ToString()),
            2 => text[..at],
            3 => text.Insert(at, text[at..Math.Min(text.Length, at + random.Next(1, 8))]),
            _ => text.Remove(at, 1).Insert(Math.Min(at, text.Length - 1), MutationCharacters[random.Next(MutationCharacters.Length)].ToString()),
        };
    }

    private static readonly string[] PatchPaths =
    [
        "userName", "displayName", "nickName", "active", "name", "name.givenName", "NAME.FAMILYNAME", "emails", "emails.value",
        "emails[type eq \"work\"].value", "emails[type eq \"home\"]", "emails[value co \"x\"].primary", "phoneNumbers", "addresses[type eq \"work\"].locality",
        "roles", "title", "externalId", "id", "meta", "meta.version", "groups", "schemas", "password", "members", "members[value eq \"{user}\"]",
        "members[value eq \"{group}\"]", "members[value eq \"nobody\"]", "members.value", "members[display co \"a\"].display",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
        "manager", "manager.value", "nope", "emails[", "emails[type eq]", "name..x", "", " ", ".", "x.y.z.w",
    ];

    private static readonly string[] ObjectKeys =
    [
        "active", "displayName", "userName", "name.givenName", "name", "emails", "members", "id", "externalId", "meta", "schemas",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "value", "display", "type", "primary", "$ref", "x", "",
    ];

    private static string RandomPatchBody(Random random, string userId, string groupId)
    {
        var shape = random.Next(20);
        if (shape == 0)
        {
            return Pick(random, "{}", "[]", "null", "\"x\"", "{\"Operations\":{}}", "{\"Operations\":null}", "{\"Operations\":[null]}", "{\"Operations\":[1,2]}", "{\"Operations\":\"replace\"}");
        }

        var operations = new JsonArray();
        for (var count = random.Next(0, 4); count > 0; count--)
        {
            var operation = new JsonObject();
            if (random.Next(10) > 0)
            {
                operation["op"] = random.Next(12) switch
                {
                    0 => JsonValue.Create(5),
                    1 => null,
                    2 => JsonValue.Create("copy"),
                    3 => JsonValue.Create(string.Empty),
                    _ => JsonValue.Create(Pick(random, "add", "Add", "replace", "Replace", "REPLACE", "remove", "Remove")),
                };
            }

            if (random.Next(4) > 0)
            {
                operation["path"] = random.Next(15) == 0
                    ? JsonValue.Create(7)
                    : JsonValue.Create(PatchPaths[random.Next(PatchPaths.Length)].Replace("{user}", userId, StringComparison.Ordinal).Replace("{group}", groupId, StringComparison.Ordinal));
            }

            if (random.Next(5) > 0)
            {
                operation["value"] = RandomValue(random, userId, groupId, depth: 0);
            }

            operations.Add(operation);
        }

        var body = new JsonObject { [random.Next(4) == 0 ? "operations" : "Operations"] = operations };
        if (random.Next(2) == 0)
        {
            body["schemas"] = new JsonArray(Pick(random, "urn:ietf:params:scim:api:messages:2.0:PatchOp", "urn:bogus"));
        }

        return body.ToJsonString();
    }

    private static JsonNode? RandomValue(Random random, string userId, string groupId, int depth)
    {
        switch (random.Next(depth > 1 ? 8 : 11))
        {
            case 0:
                return null;
            case 1:
                return JsonValue.Create(random.Next(2) == 0);
            case 2:
                return JsonValue.Create(Pick(random, "True", "False", "true", "yes", ""));
            case 3:
                return JsonValue.Create(random.Next(-5, 5) * 1.5);
            case 4:
                return JsonValue.Create(Pick(random, userId, groupId, "nobody", "00000000-0000-0000-0000-000000000000"));
            case 5:
                return JsonValue.Create(RandomText(random));
            case 6:
                return JsonValue.Create(long.MaxValue);
            case 7:
                return JsonValue.Create($"{{\"id\":\"{RandomText(random)}\",\"value\":\"25\"}}");
            case 8:
            {
                var array = new JsonArray();
                for (var i = random.Next(0, 3); i > 0; i--)
                {
                    array.Add(RandomValue(random, userId, groupId, depth + 1));
                }

                return array;
            }

            case 9:
                return new JsonArray(new JsonObject { ["value"] = Pick(random, userId, groupId, "nobody"), ["display"] = RandomText(random), ["$ref"] = null });

            default:
            {
                var value = new JsonObject();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    value[ObjectKeys[random.Next(ObjectKeys.Length)]] = RandomValue(random, userId, groupId, depth + 1);
                }

                return value;
            }
        }
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(0, 10); i > 0; i--)
        {
            builder.Append(MutationCharacters[random.Next(MutationCharacters.Length)]);
        }

        return builder.ToString();
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
