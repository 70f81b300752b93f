using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>
/// Log messages of report collection: reporters, report ids, domains, envelope senders and mailbox positions, never a
/// Subject or body (promise 5). A reason quotes at most a short piece of a hostile report, never the mail's text.
/// </summary>
internal static partial class ReportCollectionLog
{
    [LoggerMessage(EventId = EventIds.Dmarc.ReportImported, Level = LogLevel.Information,
        Message = "Report {ReportId} of {Reporter} for {Domain} stored from {Source}: {Records} records")]
    public static partial void Imported(ILogger logger, string reportId, string reporter, string domain, string source, int records);

    [LoggerMessage(EventId = EventIds.Dmarc.ReportDuplicate, Level = LogLevel.Information,
        Message = "Report {ReportId} of {Reporter} from {Source} was stored before; nothing changed")]
    public static partial void Duplicate(ILogger logger, string reportId, string reporter, string source);

    [LoggerMessage(EventId = EventIds.Dmarc.ReportMailUnusable, Level = LogLevel.Warning,
        Message = "Mail from <{Sender}> ({Client}) to a report address carries no readable report; dropped: {Reason}")]
    public static partial void MailUnusable(ILogger logger, string sender, string client, string reason);

    [LoggerMessage(EventId = EventIds.Dmarc.ImapCollected, Level = LogLevel.Information,
        Message = "IMAP {Mailbox}: {Messages} messages, {Imported} reports stored, {Duplicates} stored before, {Failed} moved to {FailedFolder}")]
    public static partial void Collected(ILogger logger, string mailbox, int messages, int imported, int duplicates, int failed, string failedFolder);

    [LoggerMessage(EventId = EventIds.Dmarc.ImapMessageFailed, Level = LogLevel.Warning,
        Message = "IMAP {Mailbox}: message UID {Uid} carries no readable report; moved to {FailedFolder}: {Reason}")]
    public static partial void MessageFailed(ILogger logger, string mailbox, uint uid, string failedFolder, string reason);

    [LoggerMessage(EventId = EventIds.Dmarc.ImapFailed, Level = LogLevel.Warning,
        Message = "IMAP {Mailbox}: collecting failed, next try in {Interval}; the mail stays where it is")]
    public static partial void Failed(ILogger logger, string mailbox, TimeSpan interval, Exception exception);
}
