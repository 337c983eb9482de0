namespace ScimBridge.Simulators.Hosting;

/// <summary>
/// Items in insertion order with an id index, so a cursor page (OpenAI <c>after</c>, Anthropic <c>after_id</c> /
/// <c>before_id</c>) costs O(page) rather than a scan of
/// everything before it (the simulator serves 200,000-key inventories). Removal leaves a hole that keeps its index
/// entry, so a client paging while items are deleted, its cursor included, can still continue; holes are compacted
/// away once they outnumber the live items. Not thread-safe: the simulator holds its lock around every use.
/// </summary>
internal sealed class OrderedStore<T>(Func<T, string> idOf)
    where T : class
{
    private const int CompactAbove = 1024;

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private List<T?> _items = [];

    public int Count { get; private set; }

    public IEnumerable<T> Items => _items.OfType<T>();

    public T? Get(string id) => _index.TryGetValue(id, out var i) ? _items[i] : null;

    public bool Contains(string id) => Get(id) is not null;

    /// <summary>Adds at the end; false when a live item already has the id.</summary>
    public bool Add(T item)
    {
        var id = idOf(item);
        if (Contains(id))
        {
            return false;
        }

        _index[id] = _items.Count;
        _items.Add(item);
        Count++;
        return true;
    }

    /// <summary>Replaces a live item in place (an update keeps its position in the listing).</summary>
    public void Replace(T item) => _items[_index[idOf(item)]] = item;

    public T? Remove(string id)
    {
        if (!_index.TryGetValue(id, out var i) || _items[i] is not { } removed)
        {
            return null;
        }

        _items[i] = null;
        Count--;
        if (_items.Count - Count > CompactAbove && _items.Count - Count > Count)
        {
            Compact();
        }

        return removed;
    }

    public void Clear()
    {
        _items.Clear();
        _index.Clear();
        Count = 0;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items after the one with id <paramref name="after"/> (or from the start) that pass
    /// <paramref name="filter"/>, and whether more follow. Null when <paramref name="after"/> is unknown.
    /// </summary>
    public (List<T> Items, bool HasMore)? Page(string? after, int limit, bool descending = false, Func<T, bool>? filter = null)
    {
        int position;
        if (after is null)
        {
            position = descending ? _items.Count - 1 : 0;
        }
        else if (_index.TryGetValue(after, out var i))
        {
            position = descending ? i - 1 : i + 1;
        }
        else
        {
            return null;
        }

        var step = descending ? -1 : 1;
        var page = new List<T>(Math.Min(limit, 1024));
        for (; position >= 0 && position < _items.Count; position += step)
        {
            if (_items[position] is not { } item || (filter is not null && !filter(item)))
            {
                continue;
            }

            if (page.Count == limit)
            {
                return (page, true);
            }

            page.Add(item);
        }

        return (page, false);
    }

    /// <summary>
    /// Anthropic's paging: up to <paramref name="limit"/> items right after <paramref name="afterId"/>, or right before
    /// <paramref name="beforeId"/> (in listing order), or from the start; and whether more match in that direction.
    /// </summary>
    public (List<T> Items, bool HasMore)? Page(string? afterId, string? beforeId, int limit, Func<T, bool>? filter)
    {
        if (beforeId is null)
        {
            return Page(afterId, limit, descending: false, filter);
        }

        if (Page(beforeId, limit, descending: true, filter) is not var (items, hasMore))
        {
            return null;
        }

        items.Reverse();
        return (items, hasMore);
    }

    private void Compact()
    {
        var live = new List<T?>(Count);
        _index.Clear();
        foreach (var item in _items)
        {
            if (item is not null)
            {
                _index[idOf(item)] = live.Count;
                live.Add(item);
            }
        }

        _items = live;
    }
}
