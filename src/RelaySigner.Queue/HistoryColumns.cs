using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>What both stores write into the history for one outcome, bounded the same way.</summary>
internal static class HistoryColumns
{
    /// <summary>
    /// A reply longer than this is cut: servers may answer with kilobytes of multi-line text, and the history keeps
    /// a row per recipient and attempt for days. Postfix's DSN keeps a similar bound on the diagnostic text.
    /// </summary>
    public const int MaxReplyLength = 512;

    public static string? Reply(SmtpReply? reply)
    {
        var text = reply?.ToString();
        return text is { Length: > MaxReplyLength } ? text[..MaxReplyLength] : text;
    }
}
