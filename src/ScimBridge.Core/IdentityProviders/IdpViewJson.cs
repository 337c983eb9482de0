using System.Text.Json;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>The IdP view as compact JSON for the cursor table: about 100 bytes a user.</summary>
public static class IdpViewJson
{
    private sealed record Wire(List<string[]> Users, List<WireGroup> Groups);

    private sealed record WireGroup(string Id, string Name, List<string> Members);

    public static string Write(IdpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var wire = new Wire(
            [.. view.Users.Values.Select(u => new[] { u.Id, u.UserName, u.Enabled ? "1" : "0", u.DisplayName ?? "" })],
            [.. view.Groups.Values.Select(g => new WireGroup(g.Id, g.DisplayName, [.. g.MemberIds]))]);
        return JsonSerializer.Serialize(wire, IdpCheckReport.Json);
    }

    public static IdpView Read(string json)
    {
        var wire = JsonSerializer.Deserialize<Wire>(json, IdpCheckReport.Json) ?? throw new InvalidDataException("Empty IdP view.");
        return new IdpView(
            wire.Users.ToDictionary(u => u[0], u => new IdpUser(u[0], u[1], u[2] == "1", u[3].Length == 0 ? null : u[3]), StringComparer.Ordinal),
            wire.Groups.ToDictionary(g => g.Id, g => new IdpGroup(g.Id, g.Name, g.Members), StringComparer.Ordinal));
    }
}
