using System.Net;
using System.Text;
using RelaySigner.Intake;
using RelaySigner.Intake.Checks;
using RelaySigner.Intake.Session;

namespace RelaySigner.Tests.Intake;

public sealed class MessageChecksTests
{
    [Theory]
    [InlineData(998, false)]
    [InlineData(999, true)]
    public void Lines_may_have_998_octets_before_the_crlf(int length, bool overlong)
    {
        var message = Encoding.ASCII.GetBytes("Subject: x\r\n\r\n" + new string('a', length) + "\r\nshort\r\n");
        Assert.Equal(overlong, LineLengths.HasOverlongLine(message));
    }

    [Fact]
    public void The_header_block_ends_at_the_first_empty_line_and_only_received_fields_count()
    {
        var message = Encoding.ASCII.GetBytes("Received: a\r\n\tReceived: folded\r\nreceived: b\r\nX-Received: c\r\n\r\nReceived: in body\r\n");

        Assert.Equal(message.Length - "\r\nReceived: in body\r\n".Length, HeaderBlock.Length(message));
        Assert.Equal(2, HeaderBlock.CountReceived(message));
        Assert.Equal(0, HeaderBlock.Length("\r\nbody only\r\n"u8));
    }

    [Theory]
    [InlineData("MAIL FROM:<a\0b@example.com>", true)]
    [InlineData("rcpt to:<a@exa\nmple.com>", true)]
    [InlineData("MAIL FROM:<a@example.com> X=\u007f", true)]
    [InlineData("MAIL FROM:<a@example.com> SIZE=100", false)]
    [InlineData("EHLO bad\0name", false)]
    public void Only_mail_and_rcpt_lines_with_control_characters_are_screened_out(string line, bool refused)
    {
        Assert.Equal(refused, EnvelopeLineScreen.IsRefused(Encoding.Latin1.GetBytes(line)));
    }

    [Fact]
    public void The_received_header_names_the_session_only_and_sanitizes_the_helo_name()
    {
        var header = Encoding.ASCII.GetString(ReceivedHeader.Build("evil (x)\r\nBcc: y", IPAddress.IPv6Loopback, "relay.test", usedEhlo: true, tls: true, authenticated: true,
            new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(1))));

        Assert.Equal("Received: from evilxBcc:y ([IPv6:::1])\r\n\tby relay.test (RelaySigner) with ESMTPSA;\r\n\tSat, 28 Nov 2026 09:00:00 +0000\r\n", header);
    }
}
