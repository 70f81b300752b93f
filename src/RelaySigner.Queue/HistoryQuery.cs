using System.Text.RegularExpressions;
using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// What <c>relaysigner history QUERY</c> searches for: a queue id (any case), a Message-ID (with or without angle
/// brackets), or a recipient address. An <c>a@b</c> without brackets may be either a Message-ID or an address, so it
/// is looked up as both.
/// </summary>
public sealed partial record HistoryQuery(QueueId? Id, string? MessageId, string? Recipient)
{
    public static HistoryQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (QueueIdForm().IsMatch(trimmed))
        {
            return new HistoryQuery(new QueueId(trimmed.ToUpperInvariant()), null, null);
        }

        var messageId = Envelope.NormalizeMessageId(trimmed);
        var recipient = trimmed.StartsWith('<') || !trimmed.Contains('@', StringComparison.Ordinal) ? null : trimmed;
        return new HistoryQuery(null, messageId, recipient);
    }

    /// <summary>
    /// The search both stores run in one snapshot of their own: the ids the query names, gathered from the history
    /// and from the queue (<paramref name="idsWhere"/> answers "ids whose Message-ID is" / "ids with a recipient"
    /// for each place), each read once, in id order, kept when received at or after <paramref name="since"/>.
    /// </summary>
    public IReadOnlyList<MessageHistory> Run(
        DateTimeOffset? since, Func<HistoryLookup, string, IEnumerable<string>> idsWhere, Func<string, MessageHistory?> read)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        if (Id is { } id)
        {
            ids.Add(id.Value);
        }

        if (MessageId is { } messageId)
        {
            ids.UnionWith(idsWhere(HistoryLookup.MessageIdInHistory, messageId));
            ids.UnionWith(idsWhere(HistoryLookup.MessageIdInQueue, messageId));
        }

        if (Recipient is { } recipient)
        {
            ids.UnionWith(idsWhere(HistoryLookup.RecipientInHistory, recipient));
            ids.UnionWith(idsWhere(HistoryLookup.RecipientInQueue, recipient));
        }

        return [.. ids.Select(read).OfType<MessageHistory>().Where(message => since is null || message.ReceivedAt >= since)];
    }

    /// <summary>A queue id as <see cref="QueueId.New"/> writes it: 11 hex digits of time, 10 of randomness.</summary>
    [GeneratedRegex("^[0-9A-Fa-f]{21}$")]
    private static partial Regex QueueIdForm();
}
