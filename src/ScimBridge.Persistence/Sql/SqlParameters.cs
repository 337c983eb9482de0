using Dapper;

namespace ScimBridge.Persistence.Sql;

/// <summary>Collects the parameters of a compiled statement; every value from a request goes through here.</summary>
internal sealed class SqlParameters
{
    private readonly List<KeyValuePair<string, object?>> _list = [];
    private DynamicParameters? _values;

    /// <summary>The parameters in the order they were added, for statements bound by position (the hot reads).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> List => _list;

    /// <summary>The same parameters for Dapper, built only when a Dapper call asks for them.</summary>
    public DynamicParameters Values
    {
        get
        {
            if (_values is null)
            {
                _values = new DynamicParameters();
                foreach (var (name, value) in _list)
                {
                    _values.Add(name, value);
                }
            }

            return _values;
        }
    }

    public string Add(object? value)
    {
        var name = "@p" + _list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _list.Add(new(name, value));
        _values?.Add(name, value);
        return name;
    }
}
