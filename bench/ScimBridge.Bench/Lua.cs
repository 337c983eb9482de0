namespace ScimBridge.Bench;

/// <summary>wrk Lua scripts. Every endpoint, the baseline included, builds its request in Lua, so the client cost is alike.</summary>
internal static class Lua
{
    /// <summary>GET prefix + (a random line of <paramref name="linesFile"/>) + suffix.</summary>
    public static string Get(string? secret, string prefix, string? linesFile, string suffix = "") => $$"""
        {{Headers(secret)}}
        local lines = {}
        {{(linesFile is null ? "lines[1] = \"\"" : $"for line in io.lines(\"{linesFile}\") do lines[#lines + 1] = line end")}}
        math.randomseed(os.time())
        request = function()
          return wrk.format("GET", "{{prefix}}" .. lines[math.random(#lines)] .. "{{suffix}}")
        end
        """;

    /// <summary>POST /Users with a userName unique per request (prefix, start time, counter).</summary>
    public static string Post(string secret, string prefix) => $$"""
        {{Headers(secret)}}
        wrk.headers["Content-Type"] = "application/scim+json"
        local counter = 0
        local run = tostring(os.time())
        request = function()
          counter = counter + 1
          local name = "{{prefix}}-" .. run .. "-" .. counter .. "@example.com"
          local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
            '","active":true,"displayName":"Wrk User ' .. counter .. '","name":{"givenName":"Wrk","familyName":"User' .. counter ..
            '"},"emails":[{"value":"' .. name .. '","type":"work","primary":true}]}'
          return wrk.format("POST", "/scim/v2/Users", nil, body)
        end
        """;

    private static string Headers(string? secret) => secret is null
        ? "wrk.headers[\"Accept\"] = \"application/scim+json\""
        : $"wrk.headers[\"Accept\"] = \"application/scim+json\"\nwrk.headers[\"Authorization\"] = \"Bearer {secret}\"";
}
