using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Core.Audit;

namespace ScimBridge.Api.Audit;

/// <summary>How audit events look outside the database: JSON (API, JSONL export) and CSV. Shared by /admin/audit and the CLI.</summary>
public static class AuditFormats
{
    public static readonly string[] CsvColumns =
        ["seq", "occurred", "kind", "actor", "connection", "target", "resourceType", "resourceId", "action", "outcome", "requestId", "details", "previousHash", "hash"];

    public static JsonObject ToJson(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        JsonNode? details;
        try
        {
            details = e.Details is null ? null : JsonNode.Parse(e.Details);
        }
        catch (JsonException)
        {
            // An edited row may hold anything; show it as text rather than fail the listing (verify names the edit).
            details = e.Details;
        }

        return new JsonObject
        {
            ["seq"] = record.Sequence,
            ["occurred"] = AuditChain.FormatTime(e.Occurred),
            ["kind"] = e.Kind,
            ["actor"] = e.Actor,
            ["connection"] = e.Connection,
            ["target"] = e.Target,
            ["resourceType"] = e.ResourceType,
            ["resourceId"] = e.ResourceId,
            ["action"] = e.Action,
            ["outcome"] = e.Outcome,
            ["requestId"] = e.RequestId,
            ["details"] = details,
            ["previousHash"] = record.PreviousHash,
            ["hash"] = record.Hash,
        };
    }

    public static string JsonLine(AuditRecord record) => ToJson(record).ToJsonString();

    public static string CsvHeader => string.Join(',', CsvColumns);

    public static string CsvLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        string?[] cells =
        [
            record.Sequence.ToString(CultureInfo.InvariantCulture), AuditChain.FormatTime(e.Occurred), e.Kind, e.Actor, e.Connection, e.Target,
            e.ResourceType, e.ResourceId, e.Action, e.Outcome, e.RequestId, e.Details, record.PreviousHash, record.Hash,
        ];
        return Http.Csv.Record(cells);
    }

    /// <summary>Parses the filters shared by the API and the CLI; every problem is a line of the 400 / exit-2 answer.</summary>
    public static (AuditQuery Query, List<string> Problems) Parse(
        string? from, string? to, string? kind, string? connection, string? target, string? actor, string? outcome, string? resource, string? cursor, string? limit,
        int defaultLimit = 100)
    {
        var problems = new List<string>();
        DateTimeOffset? Time(string name, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            {
                return value;
            }

            problems.Add($"{name} must be an ISO 8601 time, such as 2026-11-24T08:00:00Z (got '{text}').");
            return null;
        }

        long? Number(string name, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"{name} must be a whole number (got '{text}').");
            return null;
        }

        static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        var query = new AuditQuery
        {
            From = Time("from", from),
            To = Time("to", to),
            Kind = Text(kind),
            Connection = Text(connection),
            Target = Text(target),
            Actor = Text(actor),
            Outcome = Text(outcome),
            Resource = Text(resource),
            Before = Number("cursor", cursor),
            Limit = (int)Math.Min(int.MaxValue, Number("limit", limit) ?? defaultLimit),
        };
        problems.AddRange(query.Problems());
        return (query, problems);
    }

    public static JsonObject ToJson(AuditVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new JsonObject
        {
            ["intact"] = verification.Intact,
            ["checked"] = verification.Checked,
            ["headSequence"] = verification.HeadSequence,
            ["headHash"] = verification.HeadHash,
            ["firstBrokenSequence"] = verification.FirstBrokenSequence,
            ["break"] = verification.Break is { } kind ? JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()) : null,
            ["detail"] = verification.Detail,
        };
    }

    internal static async Task WriteExportAsync(TextWriter writer, string format, IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        var csv = format == "csv";
        if (csv)
        {
            await writer.WriteLineAsync(CsvHeader);
        }

        var lines = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(csv ? CsvLine(record) : JsonLine(record));

            // Flushed every so often: the export streams to the client (or file) instead of gathering in memory.
            if (++lines % 500 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    internal static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
