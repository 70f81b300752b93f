using System.Text;
using RelaySigner.Intake.Session;
using SmtpServer.Mail;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class FixedRepliesTests
{
    public static TheoryData<SmtpCommand?, string, string?> Replies => new()
    {
        { new MailCommand(Mailbox.Empty, new Dictionary<string, string>()), "250 Ok", "250 2.1.0 Ok" },
        { new RcptCommand(new Mailbox("a", "example.org")), "250 Ok", "250 2.1.5 Ok" },
        { new NoopCommand(), "250 Ok", "250 2.0.0 Ok" },
        { new RcptCommand(new Mailbox("a", "example.org")), "550 mailbox unavailable", "550 5.1.1 Recipient address rejected" },
        { new DataCommand(), "554 ", "451 4.3.0 Internal error, try again later" },
        { null, "221 The session has be cancelled.", "421 4.3.2 Service shutting down, try again later" },
        { new NoopCommand(), "250 2.0.0 Ok: queued as 1A2B", null },
        { new EhloCommand("client.test"), "250-relay.test Hello client.test\r\n250 Ok", null },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Smtpservers_fixed_replies_get_the_relays_wording_and_everything_else_passes(SmtpCommand? executing, string written, string? sent)
    {
        var replacement = FixedReplies.For(executing, Encoding.ASCII.GetBytes(written + "\r\n"));

        Assert.Equal(sent is null ? null : sent + "\r\n", replacement is null ? null : Encoding.ASCII.GetString(replacement));
    }
}
