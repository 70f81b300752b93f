using System.Text;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class AuthLineScreenTests
{
    [Theory]
    [InlineData("\0app\0secret", true)]
    [InlineData("app\0app\0secret", true)]
    [InlineData("\0app\0sécret", true)]
    [InlineData("\0app\0secret\nmore", false)]
    [InlineData("\0app\0secret\r", false)]
    [InlineData("\0app\0secret\0", false)]
    [InlineData("\0\0secret", false)]
    [InlineData("\0app\0", false)]
    [InlineData("app secret", false)]
    [InlineData("", false)]
    public void A_plain_message_passes_only_as_authzid_nul_authcid_nul_password_without_cr_or_lf(string message, bool passes)
    {
        var line = Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)));

        Assert.Equal(passes, AuthLineScreen.CheckResponse(line, AuthenticationMethod.Plain) is null);
    }

    [Theory]
    [InlineData("YXBw", true)] // "app"
    [InlineData("", true)]
    [InlineData("YXBwCg==", false)] // "app\n"
    [InlineData("YQBi", false)] // "a\0b"
    [InlineData("YXBw YXBw", false)]
    [InlineData("YXB", false)]
    [InlineData("YX=w", false)]
    [InlineData("/w==", false)] // not UTF-8
    public void A_login_value_passes_only_as_strict_base64_of_utf8_without_nul_cr_or_lf(string line, bool passes)
    {
        Assert.Equal(passes, AuthLineScreen.CheckResponse(Encoding.ASCII.GetBytes(line), AuthenticationMethod.Login) is null);
    }

    [Fact]
    public void A_star_cancels_the_exchange_with_501_5_7_0()
    {
        Assert.Same(AuthLineScreen.Cancelled, AuthLineScreen.CheckResponse("*"u8, AuthenticationMethod.Login));
    }

    [Theory]
    [InlineData("AUTH PLAIN AGFwcABzZWNyZXQ=", false)]
    [InlineData("auth plain AGFwcABzZWNyZXQK", true)] // ends in LF
    [InlineData("AUTH LOGIN YXBwCg==", true)]
    [InlineData("AUTH LOGIN =", true)]
    [InlineData("AUTH PLAIN", false)]
    [InlineData("AUTH CRAM-MD5 anything", false)]
    [InlineData("MAIL FROM:<a@example.com>", false)]
    public void Only_a_malformed_initial_response_of_plain_or_login_is_refused(string line, bool refused)
    {
        Assert.Equal(refused, AuthLineScreen.CheckCommand(Encoding.ASCII.GetBytes(line)) is not null);
    }
}
