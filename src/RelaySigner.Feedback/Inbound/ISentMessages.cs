using RelaySigner.Core;

namespace RelaySigner.Feedback.Inbound;

/// <summary>Finds a message the relay sent, while its queue entry or history is kept (answered by the queue's stores).</summary>
public interface ISentMessages
{
    /// <summary>The message a VERP token names; null once it is neither queued nor in the history.</summary>
    Task<SentMessage?> FindAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>The messages with this Message-ID header value (a complaint quoting the original's header).</summary>
    Task<IReadOnlyList<SentMessage>> FindByMessageIdAsync(string messageId, CancellationToken cancellationToken);
}
