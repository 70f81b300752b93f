using System.Text;
using RelaySigner.Intake.Checks;

namespace RelaySigner.Tests.Intake;

public sealed class HeaderFieldSyntaxTests
{
    [Theory]
    [InlineData("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n")]
    [InlineData("From:a@example.com\r\nX-Odd_Name!#$~: y\r\n\r\n")]
    [InlineData("From: Long Name\r\n <a@example.com>\r\nTo: b@example.org,\r\n\tc@example.org\r\n\r\n")]
    [InlineData("From: a@example.com\r\n")]
    [InlineData("\r\nbody: lines are not header lines\r\n From : x\r\n")]
    [InlineData("From: a@example.com\r\n\r\n \r\nFrom\u000b: after the header block\r\n")]
    public void Well_formed_header_lines_pass(string message)
    {
        Assert.Equal(0, HeaderFieldSyntax.FirstMalformedLine(Encoding.Latin1.GetBytes(message)));
    }

    [Theory]
    [InlineData("Subject: x\r\nFrom\r\n : ceo@victim.org\r\n\r\n", 2)]
    [InlineData("From : ceo@victim.org\r\n\r\n", 1)]
    [InlineData("From\t: ceo@victim.org\r\n\r\n", 1)]
    [InlineData("Subject: x\r\nFrom\u000b: ceo@victim.org\r\n\r\n", 2)]
    [InlineData("Fr\u007fom: ceo@victim.org\r\n\r\n", 1)]
    [InlineData("Fröm: ceo@victim.org\r\n\r\n", 1)]
    [InlineData(": no name\r\n\r\n", 1)]
    [InlineData("From: a@example.com\r\nno colon on this line\r\nFrom: ceo@victim.org\r\n\r\n", 2)]
    [InlineData(" X: a continuation with nothing to continue\r\nFrom: a@example.com\r\n\r\n", 1)]
    [InlineData("From: a@example.com\r\n\t\r\nFrom: ceo@victim.org\r\n\r\n", 2)]
    [InlineData("From: a@example.com\r\nSubject: x\r\n   \r\n\r\n", 3)]
    public void The_first_line_that_parsers_split_differently_is_found(string message, int line)
    {
        Assert.Equal(line, HeaderFieldSyntax.FirstMalformedLine(Encoding.Latin1.GetBytes(message)));
    }
}
