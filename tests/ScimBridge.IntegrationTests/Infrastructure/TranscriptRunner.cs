using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace ScimBridge.IntegrationTests.Infrastructure;

/// <summary>
/// Replays a recorded SCIM request sequence (Transcripts/**/*.json) against a live ScimServer.
/// <code>
/// { "source": "idp-clients.md §2 E1, E3", "steps": [ {
///     "name": "create", "method": "POST", "path": "Users", "headers": {"Content-Type": "application/json"},
///     "body": {...}, "status": 201,
///     "capture": {"userId": "/id"},            // variable ← JSON pointer into the response body
///     "expect": {"/active": true},             // JSON pointer → deep-equal JSON value
///     "absent": ["/members"],                  // pointers that must not resolve
///     "length": {"/Resources": 1}              // pointer → array length
/// } ] }
/// </code>
/// <c>{{var}}</c> is substituted in path, headers, body and expected values; <c>{{run}}</c> is a token unique to
/// one replay, so a transcript can run many times against one database.
/// </summary>
public static partial class TranscriptRunner
{
    public static string Directory(string idp) => Path.Combine(AppContext.BaseDirectory, "Transcripts", idp);

    /// <summary>xunit MemberData: one row per transcript file name of the IdP's folder.</summary>
    public static TheoryData<string> Files(string idp)
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory(idp), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static async Task RunAsync(HttpClient client, string idp, string fileName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var transcriptName = $"{idp}/{fileName}";
        var transcript = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Directory(idp), fileName)))!.AsObject();
        if (transcript["source"] is not JsonValue source || string.IsNullOrWhiteSpace((string?)source))
        {
            throw new XunitException($"Transcript {transcriptName}: missing \"source\" (the idp-clients.md rows it is built from).");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run"] = Guid.NewGuid().ToString("N")[..10],
        };

        var steps = transcript["steps"]!.AsArray();
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index]!.AsObject();
            var where = $"Transcript {transcriptName}, step {index + 1} \"{(string?)step["name"]}\"";
            await RunStepAsync(client, step, variables, where);
        }
    }

    /// <summary>
    /// Replays a provisioning cycle file (same step format, {{run}} fixed to "cycle"): a step <c>{"await": "label"}</c>
    /// hands control to <paramref name="onAwait"/> with the captured variables, so the test can let propagation settle
    /// or play the invitee between the IdP's requests. Returns the captured variables.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunCycleAsync(
        HttpClient client, string path, Func<string, IReadOnlyDictionary<string, string>, Task> onAwait)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(onAwait);
        var cycle = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        if (cycle["source"] is not JsonValue source || string.IsNullOrWhiteSpace((string?)source))
        {
            throw new XunitException($"Cycle {path}: missing \"source\".");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["run"] = "cycle" };
        var steps = cycle["steps"]!.AsArray();
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index]!.AsObject();
            if (step["await"] is JsonValue label)
            {
                await onAwait((string)label!, variables);
                continue;
            }

            await RunStepAsync(client, step, variables, $"Cycle {Path.GetFileName(path)}, step {index + 1} \"{(string?)step["name"]}\"");
        }

        return variables;
    }

    private static async Task RunStepAsync(HttpClient client, JsonObject step, Dictionary<string, string> variables, string where)
    {
        var method = new HttpMethod(((string?)step["method"] ?? throw new XunitException($"{where}: no method")).ToUpperInvariant());
        var path = Substitute((string?)step["path"] ?? throw new XunitException($"{where}: no path"), variables, where);
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));

        string? contentType = null;
        var contentHeaders = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in step["headers"]?.AsObject() ?? [])
        {
            var text = Substitute(value?.ToString() ?? string.Empty, variables, where);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = text;
            }
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                contentHeaders.Add(new(name, text));
            }
            else if (!request.Headers.TryAddWithoutValidation(name, text))
            {
                throw new XunitException($"{where}: header {name} could not be set.");
            }
        }

        if (step["body"] is { } body)
        {
            var text = body is JsonValue raw && raw.GetValueKind() == JsonValueKind.String
                ? Substitute((string)raw!, variables, where) // a raw (possibly malformed) body
                : SubstituteNode(body, variables, where)!.ToJsonString();
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? ScimHttp.MediaType);
            foreach (var (name, value) in contentHeaders)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await client.SendAsync(request);
        var responseText = await response.Content.ReadAsStringAsync();
        var line = $"{method} {path}";

        var expectedStatus = (int?)step["status"] ?? throw new XunitException($"{where}: no expected status");
        if ((int)response.StatusCode != expectedStatus)
        {
            throw new XunitException($"{where} ({line}): expected HTTP {expectedStatus}, got {(int)response.StatusCode}. Body: {Shorten(responseText)}");
        }

        if (responseText.Length > 0 && response.Content.Headers.ContentType?.MediaType != ScimHttp.MediaType)
        {
            throw new XunitException($"{where} ({line}): Content-Type {response.Content.Headers.ContentType}, expected {ScimHttp.MediaType}.");
        }

        JsonNode? json = null;
        if (responseText.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(responseText);
            }
            catch (JsonException e)
            {
                throw new XunitException($"{where} ({line}): response is not JSON ({e.Message}): {Shorten(responseText)}");
            }
        }

        foreach (var (pointer, expected) in step["expect"]?.AsObject() ?? [])
        {
            var wanted = SubstituteNode(expected, variables, where);
            if (!TryResolve(json, pointer, out var actual))
            {
                throw new XunitException($"{where} ({line}): {pointer} is missing, expected {Show(wanted)}. Body: {Shorten(responseText)}");
            }

            if (!JsonNode.DeepEquals(actual, wanted))
            {
                throw new XunitException($"{where} ({line}): {pointer} is {Show(actual)}, expected {Show(wanted)}.");
            }
        }

        foreach (var pointer in step["absent"]?.AsArray() ?? [])
        {
            if (TryResolve(json, (string)pointer!, out var present))
            {
                throw new XunitException($"{where} ({line}): {pointer} should be absent but is {Show(present)}.");
            }
        }

        foreach (var (pointer, expected) in step["length"]?.AsObject() ?? [])
        {
            var length = TryResolve(json, pointer, out var node) && node is JsonArray array ? array.Count : -1;
            if (length != (int)expected!)
            {
                throw new XunitException($"{where} ({line}): {pointer} has length {length} (-1: not an array), expected {expected}. Body: {Shorten(responseText)}");
            }
        }

        foreach (var (variable, pointer) in step["capture"]?.AsObject() ?? [])
        {
            if (!TryResolve(json, (string)pointer!, out var value) || value is null)
            {
                throw new XunitException($"{where} ({line}): cannot capture {variable}: {pointer} is missing. Body: {Shorten(responseText)}");
            }

            variables[variable] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string)v! : value.ToJsonString();
        }
    }

    /// <summary>RFC 6901 JSON pointer. A present JSON null resolves (to null); a missing member does not.</summary>
    public static bool TryResolve(JsonNode? root, string pointer, out JsonNode? value)
    {
        value = root;
        if (pointer.Length == 0)
        {
            return root is not null;
        }

        if (!pointer.StartsWith('/'))
        {
            throw new XunitException($"JSON pointer '{pointer}' must start with '/'.");
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    value = child;
                    break;
                case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                    value = array[i];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    private static JsonNode? SubstituteNode(JsonNode? node, Dictionary<string, string> variables, string where) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(Substitute(p.Key, variables, where), SubstituteNode(p.Value, variables, where)))),
        JsonArray array => new JsonArray([.. array.Select(n => SubstituteNode(n, variables, where))]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Substitute((string)value!, variables, where)),
        _ => node.DeepClone(),
    };

    private static string Substitute(string text, Dictionary<string, string> variables, string where) =>
        Placeholder().Replace(text, match => variables.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new XunitException($"{where}: {{{{{match.Groups[1].Value}}}}} is used before it is captured."));

    private static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    [GeneratedRegex(@"\{\{([A-Za-z0-9_]+)\}\}")]
    private static partial Regex Placeholder();
}
