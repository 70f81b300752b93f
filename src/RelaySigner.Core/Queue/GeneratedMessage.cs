namespace RelaySigner.Core.Queue;

/// <summary>
/// A message the relay writes itself (a delivery status notification), queued in the same transaction as the
/// attempt that caused it: either both are durable or neither, so a crash can neither lose the bounce of a failed
/// recipient nor send it for an attempt that was never recorded.
/// </summary>
/// <param name="Envelope">Sender <c>&lt;&gt;</c> and the original envelope sender as its one recipient.</param>
/// <param name="Content">The complete message, CRLF line endings.</param>
/// <param name="WarnsOfDelay">True when it reports a recipient as delayed: the queue then marks the message as warned
/// in the same transaction, so the warning goes out once per message however the attempt ends.</param>
public sealed record GeneratedMessage(Envelope Envelope, byte[] Content, bool WarnsOfDelay = false);
