using System.Buffers;
using System.Text;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class ErrorRepliesTests
{
    /// <summary>The library trap: every line SmtpServer's parser refuses gets the same "502 Unrecognized command".</summary>
    [Theory]
    [InlineData("BOGUS")]
    [InlineData("RCPT TO:<postmaster>")]
    [InlineData("MAIL FROM:<a@b@c>")]
    public void Smtpservers_parser_answers_every_line_it_refuses_with_502(string line)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line));

        Assert.False(new SmtpParser(new SmtpCommandFactory()).TryMake(ref buffer, out _, out var error));
        Assert.Equal(SmtpReplyCode.CommandNotImplemented, error.ReplyCode);
    }

    [Theory]
    [InlineData("BOGUS", "500 5.5.2")]
    [InlineData("vrfy someone", "502 5.5.1")]
    [InlineData("EHLO", "501 5.5.4")]
    [InlineData("MAIL <a@example.com>", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@b@c>", "501 5.1.7")]
    [InlineData("RCPT <a@example.com>", "501 5.5.4")]
    [InlineData("RCPT TO:<a@b@c>", "501 5.1.3")]
    [InlineData("rcpt to: <POSTMASTER>", "550 5.1.1")]
    [InlineData("AUTH", "501 5.5.4")]
    [InlineData("AUTH PLAIN a b", "501 5.5.2")]
    [InlineData("AUTH CRAM-MD5", "504 5.5.4")]
    public void A_refused_line_gets_a_reply_for_its_verb_with_an_enhanced_code(string line, string reply)
    {
        var answer = ErrorReplies.For(new SmtpResponseException(new SmtpResponse(SmtpReplyCode.CommandNotImplemented, "Unrecognized command"), false,
            new Dictionary<string, object> { ["SmtpSession:Buffer"] = Encoding.ASCII.GetBytes(line) }));

        Assert.StartsWith(reply, $"{(int)answer.ReplyCode} {answer.Message}");
    }

    [Fact]
    public void The_state_machines_refusal_becomes_503_5_5_1_and_the_relays_own_replies_pass_unchanged()
    {
        var own = new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.7.1 Relay access denied");

        Assert.Same(ErrorReplies.BadSequence, ErrorReplies.For(new SmtpResponseException(new SmtpResponse(SmtpReplyCode.SyntaxError, "expected NOOP/RSET/QUIT/RCPT"))));
        Assert.Same(own, ErrorReplies.For(new SmtpResponseException(own)));
    }
}
