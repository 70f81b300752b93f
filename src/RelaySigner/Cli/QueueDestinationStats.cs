using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>One line of <c>queue stats</c> (qshape style): what waits for one destination domain.</summary>
internal sealed record QueueDestinationStats(string Destination, int Messages, int Recipients, DateTimeOffset Oldest, string? LastReply)
{
    /// <summary>Pending recipients grouped by their domain, most recipients first; the last reply comes from the newest message that has one.</summary>
    public static IReadOnlyList<QueueDestinationStats> Of(IReadOnlyList<QueueEntry> entries) =>
        [.. entries
            .SelectMany(e => e.Recipients.Where(r => r.Status == RecipientStatus.Pending).Select(r => (Entry: e, Recipient: r)))
            .GroupBy(p => QueueFilter.DomainOf(p.Recipient.Address))
            .Select(g => new QueueDestinationStats(
                g.Key,
                g.Select(p => p.Entry.Id).Distinct().Count(),
                g.Count(),
                g.Min(p => p.Entry.ReceivedAt),
                g.Where(p => p.Recipient.LastReply is not null).OrderByDescending(p => p.Entry.ReceivedAt).Select(p => p.Recipient.LastReply).FirstOrDefault()))
            .OrderByDescending(s => s.Recipients)
            .ThenBy(s => s.Destination, StringComparer.Ordinal)];
}
