namespace ScimBridge.Persistence.Sql;

/// <summary>
/// The SQL that differs between SQLite and PostgreSQL, for the filter compiler and the stores. Expressions are SQL
/// fragments; values and paths are passed as parameters, never spliced in.
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

    /// <summary>How a JSON body parameter is written into the body column.</summary>
    string JsonParameter(string parameter);

    /// <summary>
    /// "column is one of these ids", with the ids in ONE parameter (see <see cref="IdsParameter"/>), so the SQL text
    /// never varies with how many there are and its prepared form is reused.
    /// </summary>
    string InIds(string column, string parameter);

    /// <summary>The parameter value for <see cref="InIds"/>.</summary>
    object IdsParameter(IReadOnlyCollection<string> ids);

    /// <summary>The member table's insertion order, for stable member lists.</summary>
    string MemberInsertionOrder(string alias);

    /// <summary>Appended to the SELECT that reads a resource's version before writing it (a row lock where needed).</summary>
    string LockForUpdate { get; }

    /// <summary>
    /// Membership in a list parameter. Dapper expands <c>IN @list</c> for SQLite but hands Npgsql the whole array,
    /// which PostgreSQL reads with <c>= ANY(@list)</c>.
    /// </summary>
    string InList(string column, string parameter);

    /// <summary>Case-insensitive equality of a connection name.</summary>
    string NameEquals(string column, string parameter);

    /// <summary>The ON CONFLICT target of the case-insensitive connection-name index.</summary>
    string NameConflictTarget { get; }
}
