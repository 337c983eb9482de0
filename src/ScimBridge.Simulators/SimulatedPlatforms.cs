using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Simulators;

/// <summary>The simulators by name, for the command line and the demo. One line per platform.</summary>
public static class SimulatedPlatforms
{
    private static readonly Dictionary<string, Func<TimeProvider, ISimulatedPlatform>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cursor"] = time => new Cursor.CursorSimulator(time),
        ["anthropic"] = time => new Anthropic.AnthropicSimulator(time),
        ["openai"] = time => new OpenAI.OpenAISimulator(time),
        ["graph"] = time => new IdentityProviders.Graph.GraphSimulator(time),
        ["okta"] = time => new IdentityProviders.Okta.OktaSimulator(time),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static ISimulatedPlatform? Create(string name, TimeProvider time) =>
        Factories.TryGetValue(name, out var create) ? create(time) : null;
}
