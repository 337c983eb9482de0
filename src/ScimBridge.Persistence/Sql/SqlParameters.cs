using Dapper;

namespace ScimBridge.Persistence.Sql;

/// <summary>Collects the parameters of a compiled statement; every value from a request goes through here.</summary>
internal sealed class SqlParameters
{
    private readonly List<KeyValuePair<string, object?>> _list = [];

    public DynamicParameters Values { get; } = new();

    /// <summary>The same parameters in the order they were added, for prepared commands bound by hand.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> List => _list;

    public string Add(object? value)
    {
        var name = "@p" + _list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Values.Add(name, value);
        _list.Add(new(name, value));
        return name;
    }
}
