using System.Text;
using ScimBridge.Persistence.Sql;

namespace ScimBridge.Persistence.Sqlite;

internal sealed class SqliteDialect : ISqlDialect
{
    /// <summary>ToLowerInvariant as a SQL function, registered by SqliteDatabase on the connections that need it.</summary>
    public const string FoldFunction = "scim_fold";

    public static SqliteDialect Instance { get; } = new();

    // SQLite JSON paths: $.name.givenName, with URN keys quoted: $."urn:…:User".department
    public object JsonPath(IReadOnlyList<string> segments)
    {
        var path = new StringBuilder("$");
        foreach (var segment in segments)
        {
            path.Append('.');
            if (segment.AsSpan().ContainsAny(":.\" "))
            {
                path.Append('"').Append(segment.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                path.Append(segment);
            }
        }

        return path.ToString();
    }

    public string JsonScalar(string json, string pathParameter) => $"json_extract({json}, {pathParameter})";

    public string JsonElements(string json, string pathParameter, string alias) => $"json_each({json}, {pathParameter}) AS {alias}";

    public string JsonPresent(string json, string pathParameter) => $"COALESCE(json_type({json}, {pathParameter}), 'null') <> 'null'";

    public string JsonArrayLength(string json, string pathParameter) => $"COALESCE(json_array_length({json}, {pathParameter}), 0)";

    // scim_fold is ToLowerInvariant, registered on every connection (SqliteDatabase): SQLite's lower() folds ASCII only.
    public string Fold(string expression) => $"{FoldFunction}({expression})";

    // json_extract yields 1/0 for JSON true/false.
    public string IsTrue(string booleanExpression) => $"({booleanExpression} = 1)";

    public string Numeric(string expression) => expression;

    public string Contains(string expression, string parameter) => $"instr({expression}, {parameter}) > 0";

    public string StartsWith(string expression, string parameter) => $"substr({expression}, 1, length({parameter})) = {parameter}";

    public string EndsWith(string expression, string parameter) =>
        $"(length({expression}) >= length({parameter}) AND substr({expression}, length({expression}) - length({parameter}) + 1) = {parameter})";

    public string JsonParameter(string parameter) => parameter;

    public string InIds(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    // SQLite has no array parameters: the ids travel as one JSON array.
    public object IdsParameter(IReadOnlyCollection<string> ids) => System.Text.Json.JsonSerializer.Serialize(ids, IdsJsonContext.Default.IReadOnlyCollectionString);

    public string MemberInsertionOrder(string alias) => $"{alias}.rowid";

    // The single writer behind SqliteDatabase's gate already excludes every other write.
    public string LockForUpdate => string.Empty;

    public string InList(string column, string parameter) => $"{column} IN {parameter}";

    public string NameEquals(string column, string parameter) => $"{column} = {parameter} COLLATE NOCASE";

    public string NameConflictTarget => "(name COLLATE NOCASE)";
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class IdsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
