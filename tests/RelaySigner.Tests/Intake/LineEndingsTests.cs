using System.Text;
using RelaySigner.Intake;

namespace RelaySigner.Tests.Intake;

public sealed class LineEndingsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a\r\n")]
    [InlineData("a\r\nb\r\n\r\nc\r\n")]
    [InlineData("no line ending at all")]
    public void Crlf_only_content_passes(string content)
    {
        Assert.False(LineEndings.HasBareCrOrLf(Encoding.ASCII.GetBytes(content)));
    }

    [Theory]
    [InlineData("a\nb\r\n")]
    [InlineData("a\rb\r\n")]
    [InlineData("a\r\n.\n")]
    [InlineData("a\r\n\n.\r\n")]
    [InlineData("a\r\r\n")]
    [InlineData("a\r\n\r")]
    [InlineData("a\n\r")]
    public void A_bare_cr_or_lf_anywhere_is_found(string content)
    {
        Assert.True(LineEndings.HasBareCrOrLf(Encoding.ASCII.GetBytes(content)));
    }
}
