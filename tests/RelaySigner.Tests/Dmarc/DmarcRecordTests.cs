using RelaySigner.Dmarc.Records;

namespace RelaySigner.Tests.Dmarc;

public sealed class DmarcRecordTests
{
    [Fact]
    public void Reads_every_tag_and_formats_back_the_same_record()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=quarantine; sp=reject; pct=50; adkim=s; aspf=r; rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com; fo=1");

        Assert.True(record.IsValid);
        Assert.Equal(("quarantine", "reject", 50, "s", "r"), (record.Policy, record.SubdomainPolicy, record.Percent, record.DkimAlignment, record.SpfAlignment));
        Assert.Equal(["mailto:a@example.com", "mailto:b@example.net"], record.AggregateReportUris);
        Assert.Equal("v=DMARC1; p=quarantine; sp=reject; pct=50; adkim=s; rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com", record.Format());
    }

    [Theory]
    [InlineData("p=none; v=DMARC1", "must start with v=DMARC1")]
    [InlineData("v=DMARC1; rua=mailto:a@example.com", "p= is missing")]
    [InlineData("v=DMARC1; p=block", "p=block is not none, quarantine or reject")]
    [InlineData("v=DMARC1; p=none; pct=150", "pct=150")]
    [InlineData("v=DMARC1; p=none; adkim=x", "adkim=x is not r or s")]
    [InlineData("v=DMARC1; p=none; rua=https://example.com/r", "not a mailto: address")]
    [InlineData("v=DMARC1; p=none; p=reject", "tag p appears twice")]
    public void Lists_what_is_wrong_with_a_record(string text, string error)
    {
        var record = DmarcRecord.Parse(text);

        Assert.False(record.IsValid);
        Assert.Contains(record.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }
}
