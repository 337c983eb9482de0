namespace ScimBridge.Persistence.Sql;

/// <summary>
/// The SQL that differs between SQLite and PostgreSQL, for the filter compiler. Expressions are SQL fragments;
/// paths are passed as parameters, never spliced in.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>The parameter value that addresses a JSON path (the segments are canonical attribute names).</summary>
    object JsonPath(IReadOnlyList<string> segments);

    /// <summary>The scalar at a path, as SQL text/number/boolean; NULL when absent.</summary>
    string JsonScalar(string json, string pathParameter);

    /// <summary>A FROM-clause item yielding one row per array element at a path; the element is <c>{alias}.value</c>.</summary>
    string JsonElements(string json, string pathParameter, string alias);

    /// <summary>True when the value at the path is present and not JSON null.</summary>
    string JsonPresent(string json, string pathParameter);

    string JsonArrayLength(string json, string pathParameter);

    /// <summary>Case folding for caseExact=false strings; C# folds parameters with ToLowerInvariant to match.</summary>
    string Fold(string expression);

    string IsTrue(string booleanExpression);

    string Numeric(string expression);

    string Contains(string expression, string parameter);

    string StartsWith(string expression, string parameter);

    string EndsWith(string expression, string parameter);
}
