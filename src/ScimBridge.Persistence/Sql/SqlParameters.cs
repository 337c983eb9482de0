using Dapper;

namespace ScimBridge.Persistence.Sql;

/// <summary>Collects the parameters of a compiled statement; every value from a request goes through here.</summary>
internal sealed class SqlParameters
{
    private int _next;

    public DynamicParameters Values { get; } = new();

    public string Add(object? value)
    {
        var name = "@p" + _next++.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Values.Add(name, value);
        return name;
    }
}
