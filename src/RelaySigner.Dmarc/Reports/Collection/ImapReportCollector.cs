using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using RelaySigner.Dmarc;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>
/// Polls the reports' IMAP mailbox (<c>Relay:Dmarc:Imap</c>) every <see cref="DmarcImapOptions.Interval"/> over TLS
/// with MailKit's <see cref="ImapClient"/>, stores the reports of every message and moves it to the processed folder.
/// </summary>
/// <remarks>
/// A message is moved only after its reports are durably stored; a crash in between leaves it for the next poll,
/// which finds its reports stored before and moves it (import is idempotent). A message without a readable report
/// is moved to the failed folder and logged: never lost, never read again at every poll. Anything else (the server
/// or the store unreachable) ends the poll with a warning and leaves the mail where it is for the next one.
/// </remarks>
public sealed class ImapReportCollector(
    IOptions<DmarcOptions> options, ReportMailImporter importer, TimeProvider time, ILogger<ImapReportCollector> logger) : BackgroundService
{
    private readonly DmarcImapOptions _imap = options.Value.Imap;

    private string Mailbox => $"{_imap.User}@{_imap.Host}:{_imap.Port}/{_imap.Folder}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CollectAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ReportCollectionLog.Failed(logger, Mailbox, _imap.Interval, ex);
            }

            try
            {
                await Task.Delay(_imap.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One poll: every message in the folder, stored and moved, or moved to the failed folder.</summary>
    public async Task<ImapCollection> CollectAsync(CancellationToken cancellationToken)
    {
        using var client = new ImapClient();
        if (_imap.TrustedCertificatePath is { Length: > 0 } trusted)
        {
            client.ServerCertificateValidationCallback = ImapServerCertificate.TrustOnly(trusted);
        }

        var security = _imap.Security == ImapSecurity.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect;
        await client.ConnectAsync(_imap.Host, _imap.Port, security, cancellationToken).ConfigureAwait(false);
        var password = (await File.ReadAllTextAsync(_imap.PasswordPath, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        await client.AuthenticateAsync(_imap.User, password, cancellationToken).ConfigureAwait(false);

        var folder = await client.GetFolderAsync(_imap.Folder, cancellationToken).ConfigureAwait(false);
        var processed = await FolderAsync(client, _imap.ProcessedFolder, cancellationToken).ConfigureAwait(false);
        var failed = await FolderAsync(client, _imap.FailedFolder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var messages = await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken).ConfigureAwait(false);

        var (imported, duplicates, unreadable) = (0, 0, 0);
        foreach (var message in messages)
        {
            var uid = message.UniqueId;
            var source = $"imap {Mailbox} UID {uid.Id}";
            try
            {
                var content = await DownloadAsync(folder, uid, message.Size, source, cancellationToken).ConfigureAwait(false);
                var (stored, before) = await importer.ImportAsync(content, source, cancellationToken).ConfigureAwait(false);
                imported += stored;
                duplicates += before;
            }
            catch (InvalidReportException ex)
            {
                unreadable++;
                await folder.MoveToAsync(uid, failed, cancellationToken).ConfigureAwait(false);
                ReportCollectionLog.MessageFailed(logger, Mailbox, uid.Id, _imap.FailedFolder, ex.Message);
                continue;
            }

            await folder.MoveToAsync(uid, processed, cancellationToken).ConfigureAwait(false);
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        var collection = new ImapCollection(messages.Count, imported, duplicates, unreadable);
        ReportCollectionLog.Collected(logger, Mailbox, collection.Messages, imported, duplicates, unreadable, _imap.FailedFolder);
        return collection;
    }

    /// <summary>The raw message, refused unread when the server says it is over the file limit and cut off if it sends more.</summary>
    private static async Task<byte[]> DownloadAsync(IMailFolder folder, UniqueId uid, uint? size, string source, CancellationToken cancellationToken)
    {
        var limit = ReportLimits.Default.MaxFileBytes;
        var tooLarge = $"{source}: over the {limit}-byte limit for a report message; refusing it";
        if (size > limit)
        {
            throw new InvalidReportException(tooLarge);
        }

        using var stream = await folder.GetStreamAsync(uid, cancellationToken).ConfigureAwait(false);
        using var bounded = new BoundedReadStream(stream, limit, tooLarge);
        using var content = new MemoryStream((int)(size ?? 0));
        await bounded.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
        return content.ToArray();
    }

    /// <summary>The folder, created in the personal namespace when missing.</summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var personal = client.GetFolder(client.PersonalNamespaces[0]);
            return await personal.CreateAsync(name, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
        }
    }
}
