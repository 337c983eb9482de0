namespace ScimBridge.Api.Http;

/// <summary>CSV as every export writes it: the reports, the drift report, the IdP findings and the audit trail.</summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>
    /// One RFC 4180 cell, defused against formula injection: a cell starting with = + - @ (or a tab or carriage return,
    /// which some spreadsheets skip before reading a formula) gets a leading apostrophe, as OWASP's "CSV Injection"
    /// advises, so a key name, resource id or path someone else chose cannot run as a formula when an operator opens
    /// the file; a cell holding a separator, quote or line break is quoted.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record's cells, each made safe by <see cref="Cell"/>, joined by commas (no line end).</summary>
    public static string Record(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell));
}

/// <summary>A whole CSV document in memory: a header, then rows, each ended by CRLF as RFC 4180 says.</summary>
public sealed class CsvBuilder
{
    private readonly System.Text.StringBuilder _text = new();

    public CsvBuilder(params string[] header) => Row(header);

    public void Row(params string?[] cells) => _text.Append(Csv.Record(cells)).Append("\r\n");

    public override string ToString() => _text.ToString();
}
