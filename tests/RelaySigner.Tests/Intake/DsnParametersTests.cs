using System.Text;
using RelaySigner.Core.Dsn;
using RelaySigner.Intake.Dsn;

namespace RelaySigner.Tests.Intake;

/// <summary>The DSN parameters of MAIL and RCPT (RFC 3461 §4) as intake reads them, and xtext.</summary>
public sealed class DsnParametersTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a+2Bb+3Dc", "a+b=c")]
    [InlineData("job+207", "job 7")]
    [InlineData("", "")]
    public void Xtext_decodes_hex_pairs(string value, string expected) => Assert.Equal(expected, Xtext.Decode(value));

    [Theory]
    [InlineData("a+2b")]          // lower-case hex
    [InlineData("a+2")]           // cut short
    [InlineData("a=b")]           // '=' must be encoded
    [InlineData("a b")]           // space must be encoded
    [InlineData("x+0D+0AFrom:")]  // a CR LF would reach the DSN's header
    [InlineData("caf+C3+A9")]     // not ASCII
    public void Xtext_refuses_what_is_not_printable_ascii_xtext(string value) => Assert.Null(Xtext.Decode(value));

    [Fact]
    public void Mail_parameters_give_ret_and_decoded_envid_in_any_case()
    {
        var (ret, envelopeId, refusal) = MailDsnParameters.Parse(new Dictionary<string, string>
        {
            ["SIZE"] = "100",
            ["ret"] = "hdrs",
            ["ENVID"] = "QQ314159+2B1",
        });

        Assert.Null(refusal);
        Assert.Equal(DsnReturn.Headers, ret);
        Assert.Equal("QQ314159+1", envelopeId);
        Assert.Equal((null, null, null), MailDsnParameters.Parse(new Dictionary<string, string> { ["BODY"] = "8BITMIME" }));
    }

    [Theory]
    [InlineData("RET", "BODY")]
    [InlineData("ENVID", "a+0Ab")]
    [InlineData("ENVID", "")]
    public void Malformed_mail_parameters_are_refused_with_501_5_5_4(string keyword, string value)
    {
        var refusal = MailDsnParameters.Parse(new Dictionary<string, string> { [keyword] = value }).Refusal;

        Assert.NotNull(refusal);
        Assert.Equal(501, (int)refusal.ReplyCode);
        Assert.StartsWith("5.5.4 ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envid_over_100_characters_is_refused()
    {
        Assert.Null(MailDsnParameters.Parse(new Dictionary<string, string> { ["ENVID"] = new string('x', 100) }).Refusal);
        Assert.NotNull(MailDsnParameters.Parse(new Dictionary<string, string> { ["ENVID"] = new string('x', 101) }).Refusal);
    }

    [Fact]
    public void Rcpt_parameters_are_read_after_the_path()
    {
        var parsed = Parse("RCPT TO:<\"a> b\"@example.com> NOTIFY=success,Delay ORCPT=rfc822;Alias+2Bx@example.com");

        Assert.NotNull(parsed);
        Assert.Null(parsed.Value.Refusal);
        Assert.Equal(new RecipientDsn(DsnNotify.Success | DsnNotify.Delay, "rfc822;Alias+x@example.com"), parsed.Value.Dsn);
        Assert.Equal(new RecipientDsn(DsnNotify.Never, null), Parse("RCPT TO:<a@example.com> NOTIFY=NEVER")!.Value.Dsn);
    }

    [Theory]
    [InlineData("RCPT TO:<a@example.com>")]
    [InlineData("MAIL FROM:<a@example.com> RET=FULL")]
    [InlineData("RCPT TO:a@example.com NOTIFY=NEVER")]
    public void Lines_without_rcpt_parameters_are_left_to_smtpserver(string line) => Assert.Null(Parse(line));

    [Theory]
    [InlineData("NOTIFY=NEVER,SUCCESS", 501)]
    [InlineData("NOTIFY=SUCCESS,SUCCESS", 501)]
    [InlineData("NOTIFY=SOMETIMES", 501)]
    [InlineData("NOTIFY=FAILURE NOTIFY=DELAY", 501)]
    [InlineData("ORCPT=rfc822", 501)]
    [InlineData("ORCPT=;a@example.com", 501)]
    [InlineData("ORCPT=rfc822;a+0D+0Ab@example.com", 501)]
    [InlineData("ORCPT=rfc 822;a@example.com", 501)]
    [InlineData("XFORWARD=1", 555)]
    public void Malformed_or_unknown_rcpt_parameters_are_refused(string parameters, int code)
    {
        var refusal = Parse($"RCPT TO:<a@example.com> {parameters}")!.Value.Refusal;

        Assert.NotNull(refusal);
        Assert.Equal(code, (int)refusal.ReplyCode);
        Assert.StartsWith("5.5.4 ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_orcpt_over_500_characters_is_refused()
    {
        var longest = "rfc822;" + new string('a', 500 - "rfc822;".Length);
        Assert.Null(Parse($"RCPT TO:<a@example.com> ORCPT={longest}")!.Value.Refusal);
        Assert.NotNull(Parse($"RCPT TO:<a@example.com> ORCPT={longest}a")!.Value.Refusal);
    }

    private static (RecipientDsn? Dsn, SmtpServer.Protocol.SmtpResponse? Refusal)? Parse(string line) =>
        RcptDsnParameters.Parse(Encoding.ASCII.GetBytes(line));
}
