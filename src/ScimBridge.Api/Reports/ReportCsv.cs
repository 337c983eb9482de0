using System.Globalization;
using ScimBridge.Api.Http;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;

namespace ScimBridge.Api.Reports;

/// <summary>
/// RFC 4180 CSV for every report, safe to open in a spreadsheet: a cell that begins with =, +, -, @, tab or carriage
/// return would be run as a formula by Excel, LibreOffice and Google Sheets, so it gets a leading apostrophe (OWASP,
/// "CSV Injection"). Platform data is attacker-controlled here: anyone who can name an API key names a cell.
/// </summary>
public static class ReportCsv
{
    public const string ContentType = Http.Csv.ContentType;

    public static string Inventory(InventoryReportResult report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new CsvBuilder("target", "platform", "kind", "id", "name", "container", "status", "ownerPlatformId", "ownerEmail",
            "identityConnection", "identityUserName", "identityActive", "created", "lastUsed", "ageDays", "flags");
        foreach (var i in report.Items)
        {
            csv.Row(i.Target, i.Platform, i.Kind, i.Id, i.Name, i.Container, i.Status, i.Owner?.PlatformId, i.Owner?.Email,
                i.Owner?.Identity?.Connection, i.Owner?.Identity?.UserName, Bool(i.Owner?.Identity?.Active), Time(i.Created), Time(i.LastUsed),
                i.AgeDays?.ToString(CultureInfo.InvariantCulture), string.Join(';', i.Flags));
        }

        return csv.ToString();
    }

    public static string Connectors(ConnectorRegisterResult register)
    {
        ArgumentNullException.ThrowIfNull(register);
        var csv = new CsvBuilder("target", "platform", "owner", "baseUrl", "mode", "reach", "objectType", "governance");
        foreach (var t in register.Targets)
        {
            foreach (var row in t.Coverage)
            {
                csv.Row(t.Target, t.Platform, t.Owner, t.BaseUrl, t.Mode, string.Join(';', t.Reach), row.ObjectType, row.Governance);
            }
        }

        return csv.ToString();
    }

    public static string Activity(ActivityPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var csv = new CsvBuilder("target", "platform", "id", "time", "action", "actorPlatformId", "actorEmail", "actorApiKeyId",
            "identityConnection", "identityUserName", "identityActive", "ipAddress", "userAgent", "flags");
        foreach (var a in page.Items)
        {
            csv.Row(a.Target, a.Platform, a.Id, Time(a.Time), a.Action, a.Actor.PlatformId, a.Actor.Email, a.Actor.ApiKeyId,
                a.Identity?.Connection, a.Identity?.UserName, Bool(a.Identity?.Active), a.IpAddress, a.UserAgent, string.Join(';', a.Flags));
        }

        return csv.ToString();
    }

    public static string AccessReview(AccessReviewResult review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var csv = new CsvBuilder("target", "platform", "object", "identity", "email", "role", "rules", "groups", "actual", "actualRole");
        foreach (var r in review.Rows)
        {
            csv.Row(r.Target, r.Platform, r.Object, r.Identity, r.Email, r.Role, string.Join(';', r.Rules), string.Join(';', r.Groups), r.Actual, r.ActualRole);
        }

        return csv.ToString();
    }

    /// <summary>One cell: neutralised if a spreadsheet would read it as a formula, quoted if it holds a separator.</summary>
    public static string Cell(string? value) => Http.Csv.Cell(value);

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Bool(bool? value) => value switch { true => "true", false => "false", null => null };
}
