namespace RelaySigner.Core.Queue;

public enum RecipientStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>What one attempt achieved for one recipient, with the reply that decided it.</summary>
/// <param name="Server">The server that gave <paramref name="Reply"/>; null when no server decided (no route,
/// every connection failed, a local error).</param>
/// <param name="NextHopNotifies">Delivered to a server that offered DSN (RFC 3461), which was given the recipient's
/// NOTIFY and ORCPT: a success notification is then its to send, not the relay's (RFC 3461 §5.2.2).</param>
public sealed record RecipientOutcome(string Recipient, RecipientStatus Status, SmtpReply? Reply, RemoteServer? Server = null,
    bool NextHopNotifies = false);
