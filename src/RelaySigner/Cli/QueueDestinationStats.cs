using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>One line of <c>queue stats</c> (qshape style): what waits for one destination domain.</summary>
internal sealed record QueueDestinationStats(string Destination, int Messages, int Recipients, DateTimeOffset Oldest, string? LastReply)
{
    /// <summary>
    /// Pending recipients grouped by their domain, most recipients first; the last reply comes from the newest message
    /// that has one. Sums up as it reads (<paramref name="pending"/> in message id order), so a queue of a million
    /// messages costs one pass and a few values per destination.
    /// </summary>
    public static IReadOnlyList<QueueDestinationStats> Of(IEnumerable<PendingRecipient> pending)
    {
        var byDomain = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var recipient in pending)
        {
            var domain = QueueFilter.DomainOf(recipient.Address);
            if (!byDomain.TryGetValue(domain, out var tally))
            {
                byDomain[domain] = tally = new Tally(recipient.ReceivedAt);
            }

            tally.Add(recipient);
        }

        return [.. byDomain
            .Select(d => new QueueDestinationStats(d.Key, d.Value.Messages, d.Value.Recipients, d.Value.Oldest, d.Value.LastReply))
            .OrderByDescending(s => s.Recipients)
            .ThenBy(s => s.Destination, StringComparer.Ordinal)];
    }

    /// <summary>What waits for one destination so far.</summary>
    private sealed class Tally(DateTimeOffset oldest)
    {
        private QueueId? _lastMessage;
        private DateTimeOffset _lastReplyAt = DateTimeOffset.MinValue;

        public int Messages { get; private set; }

        public int Recipients { get; private set; }

        public DateTimeOffset Oldest { get; private set; } = oldest;

        public string? LastReply { get; private set; }

        public void Add(PendingRecipient recipient)
        {
            // Recipients arrive in message id order: a message's recipients of one domain follow each other.
            if (recipient.MessageId != _lastMessage)
            {
                Messages++;
                _lastMessage = recipient.MessageId;
            }

            Recipients++;
            if (recipient.ReceivedAt < Oldest)
            {
                Oldest = recipient.ReceivedAt;
            }

            // The first of the newest messages with a reply, as when sorted by arrival.
            if (recipient.LastReply is not null && (LastReply is null || recipient.ReceivedAt > _lastReplyAt))
            {
                LastReply = recipient.LastReply;
                _lastReplyAt = recipient.ReceivedAt;
            }
        }
    }
}
