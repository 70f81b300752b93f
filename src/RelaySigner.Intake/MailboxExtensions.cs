using SmtpServer.Mail;

namespace RelaySigner.Intake;

public static class MailboxExtensions
{
    /// <summary>The address as text; empty for the null reverse path <c>&lt;&gt;</c>.</summary>
    public static string AsAddress(this IMailbox mailbox) =>
        string.IsNullOrEmpty(mailbox.User) && string.IsNullOrEmpty(mailbox.Host) ? string.Empty : $"{mailbox.User}@{mailbox.Host}";
}
