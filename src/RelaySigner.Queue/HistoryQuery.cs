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

    /// <summary>A queue id as <see cref="QueueId.New"/> writes it: 11 hex digits of time, 10 of randomness.</summary>
    [GeneratedRegex("^[0-9A-Fa-f]{21}$")]
    private static partial Regex QueueIdForm();
}
