using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Postgres;

/// <summary>PostgreSQL: bodies are jsonb, paths are text[] parameters read with #&gt;&gt; (text) and #&gt; (jsonb).</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public object JsonPath(IReadOnlyList<string> segments) => segments.ToArray();

    public string JsonScalar(string json, string pathParameter) => $"({json} #>> {pathParameter})";

    // A missing or non-array value yields no rows instead of an error.
    public string JsonElements(string json, string pathParameter, string alias) =>
        $"jsonb_array_elements(CASE WHEN jsonb_typeof({json} #> {pathParameter}) = 'array' THEN {json} #> {pathParameter} ELSE '[]'::jsonb END) AS {alias}(value)";

    public string JsonPresent(string json, string pathParameter) => $"COALESCE(jsonb_typeof({json} #> {pathParameter}), 'null') <> 'null'";

    public string JsonArrayLength(string json, string pathParameter) =>
        $"(CASE WHEN jsonb_typeof({json} #> {pathParameter}) = 'array' THEN jsonb_array_length({json} #> {pathParameter}) ELSE 0 END)";

    public string Fold(string expression) => $"lower({expression})";

    // Works for a boolean column (active) and for JSON text 'true'/'false' alike.
    public string IsTrue(string booleanExpression) => $"(({booleanExpression})::boolean)";

    public string Numeric(string expression) => $"(({expression})::numeric)";

    public string Contains(string expression, string parameter) => $"strpos({expression}, {parameter}) > 0";

    public string StartsWith(string expression, string parameter) => $"left({expression}, length({parameter})) = {parameter}";

    public string EndsWith(string expression, string parameter) => $"right({expression}, length({parameter})) = {parameter}";

    public string JsonParameter(string parameter) => $"CAST({parameter} AS jsonb)";

    // A text[] parameter: "= ANY" is planned on the index even before ANALYZE has run, where an IN over
    // jsonb_array_elements_text scanned group_members (5 ms per read on 50,000 members; docs/performance.md).
    public string InIds(string column, string parameter) => $"{column} = ANY({parameter})";

    public object IdsParameter(IReadOnlyCollection<string> ids) => ids.ToArray();

    public string MemberInsertionOrder(string alias) => $"{alias}.seq";

    // Replicas write concurrently: the row lock serialises writers of one resource, so the version read here is the
    // one the UPDATE replaces (no lost update, If-Match checked atomically).
    public string LockForUpdate => " FOR UPDATE";

    public string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public string NameEquals(string column, string parameter) => $"lower({column}) = lower({parameter})";

    public string NameConflictTarget => "(lower(name))";
}
