using MimeKit;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// A recipient that can be written as an RCPT TO: its position in the caller's list (where its outcome goes), the
/// address as given, and the MailKit mailbox sent to the server.
/// </summary>
internal sealed record EnvelopeRecipient(int Index, string Address, MailboxAddress Mailbox);
