namespace ScimBridge.Simulators.Anthropic;

/// <summary>
/// Items in creation order with an id → position index, so an <c>after_id</c>/<c>before_id</c> page costs O(page), not
/// O(n), even at 200,000 items. Removal leaves a hole at the old position, so a cursor naming a removed item still
/// resumes where it was (the real API's cursors survive deletes in the middle of a listing). Not thread-safe: the
/// simulator holds its lock around every call.
/// </summary>
internal sealed class OrderedStore<T>(Func<T, string> key)
    where T : class
{
    private readonly List<T?> _items = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public IEnumerable<T> All => _items.OfType<T>();

    public T? Get(string id) => _positions.TryGetValue(id, out var at) ? _items[at] : null;

    /// <summary>Appends; false when an item with the same id is present. A removed id comes back at the end.</summary>
    public bool Add(T item)
    {
        var id = key(item);
        if (Get(id) is not null)
        {
            return false;
        }

        _positions[id] = _items.Count;
        _items.Add(item);
        Count++;
        return true;
    }

    /// <summary>Replaces the item with the same id in place (an update keeps its position in listings).</summary>
    public void Replace(T item) => _items[_positions[key(item)]] = item;

    public T? Remove(string id)
    {
        if (!_positions.TryGetValue(id, out var at) || _items[at] is not { } removed)
        {
            return null;
        }

        _items[at] = null;
        Count--;
        return removed;
    }

    public void Clear()
    {
        _items.Clear();
        _positions.Clear();
        Count = 0;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> matching items right after <paramref name="afterId"/> (or right before
    /// <paramref name="beforeId"/>, or from the start), and whether more match in that direction. Null when a cursor
    /// names an id never seen.
    /// </summary>
    public (List<T> Items, bool HasMore)? Page(string? afterId, string? beforeId, int limit, Func<T, bool>? filter)
    {
        var page = new List<T>(Math.Min(limit, 1000));
        if (beforeId is not null)
        {
            if (!_positions.TryGetValue(beforeId, out var end))
            {
                return null;
            }

            var at = end - 1;
            for (; at >= 0 && page.Count < limit; at--)
            {
                if (_items[at] is { } item && (filter is null || filter(item)))
                {
                    page.Add(item);
                }
            }

            page.Reverse();
            return (page, HasMatch(at, -1, filter));
        }

        var start = 0;
        if (afterId is not null)
        {
            if (!_positions.TryGetValue(afterId, out var after))
            {
                return null;
            }

            start = after + 1;
        }

        var next = start;
        for (; next < _items.Count && page.Count < limit; next++)
        {
            if (_items[next] is { } item && (filter is null || filter(item)))
            {
                page.Add(item);
            }
        }

        return (page, HasMatch(next, +1, filter));
    }

    private bool HasMatch(int from, int step, Func<T, bool>? filter)
    {
        for (var at = from; at >= 0 && at < _items.Count; at += step)
        {
            if (_items[at] is { } item && (filter is null || filter(item)))
            {
                return true;
            }
        }

        return false;
    }
}
