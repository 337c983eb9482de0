using ScimBridge.Api.Reports;

namespace ScimBridge.Platforms.Tests.Reports;

public sealed class ReportCsvTests
{
    [Theory]
    [InlineData("=SUM(A1:A9)", "'=SUM(A1:A9)")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cell_NeutralisesFormulasAndQuotesSeparators(string? value, string expected) =>
        Assert.Equal(expected, ReportCsv.Cell(value));
}
