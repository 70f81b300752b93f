using RelaySigner.Dmarc.Reports.Collection;

using RelaySigner.Dmarc;

namespace RelaySigner.Tests.Dmarc;

public sealed class DmarcReportOptionsValidatorTests
{
    private static IEnumerable<string> Errors(DmarcOptions options) =>
        new DmarcReportOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_defaults_are_valid_and_collect_nothing() => Assert.Empty(Errors(new DmarcOptions()));

    [Fact]
    public void Every_problem_is_reported_at_once_naming_its_key()
    {
        var errors = Errors(new DmarcOptions
        {
            ReportAddresses = ["dmarc@example.com", "not-an-address", "@example.com"],
            Imap = new DmarcImapOptions { Host = "imap.example.com", Port = 0, Interval = TimeSpan.Zero, ProcessedFolder = "inbox", TrustedCertificatePath = "/no/such/ca.pem" },
        }).ToList();

        Assert.Equal(
            [
                "Relay:Dmarc:ReportAddresses 'not-an-address' is not an address (local@domain)",
                "Relay:Dmarc:ReportAddresses '@example.com' is not an address (local@domain)",
                "Relay:Dmarc:Imap:User is required with Relay:Dmarc:Imap:Host",
                "Relay:Dmarc:Imap:PasswordPath is required with Relay:Dmarc:Imap:Host",
                "Relay:Dmarc:Imap:Port 0 is not from 1 to 65535",
                "Relay:Dmarc:Imap:Interval 00:00:00 is shorter than a second",
                "Relay:Dmarc:Imap:Folder, ProcessedFolder and FailedFolder must be three different folder names",
                "Relay:Dmarc:Imap:TrustedCertificatePath /no/such/ca.pem: no such file",
            ],
            errors);
    }
}
