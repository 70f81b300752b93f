using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Intake.Checks;
using RelaySigner.Intake.Policy;
using RelaySigner.Intake.Session;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

/// <summary>
/// End of DATA: check the message → sign as the client's allowed domains → queue durably, with the DKIM-Signature
/// and Received headers prepended → reply. Promise: "250" only once the queue has committed and fsync'd the signed
/// message; a refusal is a 5xx with its reason; any failure is a temporary 451 4.3.0. Nothing may escape as an
/// exception, because SmtpServer turns one into a permanent 554 (or no reply at all).
/// </summary>
public sealed class RelayMessageStore(
    IMessageSigner signer,
    IMessageQueue queue,
    DeliveryWakeup wakeup,
    RelayAccessPolicy policy,
    SuppressedRecipients suppressed,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    RelayMetrics metrics,
    ILogger<RelayMessageStore> logger) : IMessageStore
{
    private static readonly SmtpResponse StorageFailed =
        new(SmtpReplyCode.Aborted, "4.3.0 temporary failure queueing the message, try again later");

    private readonly SmtpOptions _options = options.Value;

    // Resolved once: without a configured name it is the host name, a system call per message otherwise.
    private readonly string _serverName = options.Value.EffectiveServerName;

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
        // A recipient given twice was answered 250 twice but is one recipient (see RelayMailboxFilter).
        string[] recipients = [.. transaction.To.Select(to => to.AsAddress()).Distinct(EnvelopeRecipientComparer.Instance)];
        var envelope = new Envelope(transaction.From.AsAddress(), recipients, Dsn: DsnRequestOf(context, transaction, recipients));
        try
        {
            var content = MessageChecks.WithFinalLineEnding(buffer);
            if (MessageChecks.Check(content.Span, _options.MaxHeaderSize) is { } problem)
            {
                return Refuse(problem, client, user, envelope, content.Length);
            }

            // The Received header is not signed (not in h=), so the signer sees only the client's bytes, and the
            // queue stores signature, Received and content in a row: a large message is never copied to join them.
            var signed = signer.Sign(content, policy.IdentityOf(client, user), envelope.Recipients);
            if (signed.Refusal is { } refusal)
            {
                return Refuse(refusal, client, user, envelope, content.Length);
            }

            // The Message-ID MimeKit parsed for signing anyway: the history is searchable by it at no extra parse.
            envelope = envelope with
            {
                MessageId = Envelope.NormalizeMessageId(signed.MessageId),
                FromDomain = signed.FromDomain,
                FromOrganizationalDomain = signed.FromOrganizationalDomain,
            };
            (envelope, var suppression) = await suppressed.ApplyAsync(envelope, signed.FromOrganizationalDomain, signed.FromDomain,
                client?.ToString(), CancellationToken.None).ConfigureAwait(false);
            if (suppression is not null)
            {
                return Refuse(suppression, client, user, envelope, content.Length);
            }

            var received = _options.AddReceivedHeader ? Received(context, client, user is not null) : [];
            var id = signed.Copies is { } copies
                ? await EnqueueCopiesAsync(envelope, copies, received, signed, client?.ToString(), user).ConfigureAwait(false)
                // Not the session's token: once signed, finishing the commit is cheaper than leaving the client unsure.
                : await queue.EnqueueAsync(envelope, [signed.SignatureHeaders, received, signed.Message], CancellationToken.None).ConfigureAwait(false);
            wakeup.Notify();
            metrics.MessageReceived();
            if (signed.Copies is null)
            {
                // Absent values are logged empty (user=, d=), never as (null): one form for parsers to match.
                IntakeLog.Accepted(logger, id.Value, envelope.Sender, envelope.Recipients.Count, content.Length, client?.ToString(), user ?? string.Empty, signed.SigningDomain ?? string.Empty);
            }

            // One copy per recipient left after the suppression list: that many were queued, not one per copy signed.
            return new SmtpResponse(SmtpReplyCode.Ok, signed.Copies is not null && envelope.Recipients.Count > 1
                ? $"2.0.0 Ok: queued as {id} and {envelope.Recipients.Count - 1} more, one per recipient"
                : $"2.0.0 Ok: queued as {id}");
        }
        catch (Exception ex)
        {
            IntakeLog.QueueFailed(logger, ex, client?.ToString(), envelope.Sender);
            return StorageFailed;
        }
    }

    /// <summary>
    /// Queues each recipient's copy of a message signed per recipient as a message of its own, all at once so the
    /// queue's group commit can take them in one transaction. Returns the first copy's id once every copy is durable.
    /// Should one fail after others were stored, the client gets 451 and sends again: the stored recipients then get
    /// the message twice, as after a connection lost between the end of DATA and its 250 (RFC 5321 §4.1.1.4).
    /// </summary>
    private async Task<QueueId> EnqueueCopiesAsync(
        Envelope envelope, IReadOnlyList<RecipientCopy> copies, byte[] received, SigningResult signed, string? client, string? user)
    {
        // Copies were signed for the envelope as the client gave it; the suppression list may have dropped some since.
        var kept = copies.Where(copy => envelope.Recipients.Contains(copy.Recipient, StringComparer.Ordinal));
        var ids = await Task.WhenAll(kept.Select(copy => queue.EnqueueAsync(
            envelope with { Recipients = [copy.Recipient] },
            [copy.SignatureHeaders, received, copy.AddedHeaders, signed.Message],
            CancellationToken.None))).ConfigureAwait(false);
        foreach (var id in ids)
        {
            IntakeLog.Accepted(logger, id.Value, envelope.Sender, 1, signed.Message.Length, client, user ?? string.Empty, signed.SigningDomain!);
        }

        return ids[0];
    }

    /// <summary>
    /// The DSN parameters of the transaction (RFC 3461): RET and ENVID as SmtpServer parsed them from MAIL (checked
    /// there), NOTIFY and ORCPT as the mailbox filter kept them per recipient; null when the client gave none, which
    /// costs a look at MAIL's parameters (SIZE, BODY) and at one session property, and allocates nothing.
    /// </summary>
    private static Core.Dsn.DsnRequest? DsnRequestOf(ISessionContext context, IMessageTransaction transaction, IReadOnlyList<string> recipients)
    {
        var (ret, envelopeId, _) = Dsn.MailDsnParameters.Parse(transaction.Parameters);
        var given = RelayMailboxFilter.RecipientDsnOf(context);
        if (ret is null && envelopeId is null && given is null)
        {
            return null;
        }

        var byRecipient = new Dictionary<string, Core.Dsn.RecipientDsn>(StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            if (given?.TryGetValue(recipient, out var dsn) == true)
            {
                byRecipient[recipient] = dsn;
            }
        }

        return new Core.Dsn.DsnRequest(ret, envelopeId, byRecipient);
    }

    private byte[] Received(ISessionContext context, IPAddress? client, bool authenticated)
    {
        var session = SessionGuard.Of(context);
        return ReceivedHeader.Build(session?.HeloName, client, _serverName, session?.UsedEhlo ?? true, context.Pipe.IsSecure, authenticated, time.GetUtcNow());
    }

    private SmtpResponse Refuse(SmtpReply reply, IPAddress? client, string? user, Envelope envelope, int size)
    {
        IntakeLog.Refused(logger, client?.ToString(), user ?? string.Empty, envelope.Sender, size, reply.ToString());
        metrics.MessageRefused(reply);
        return new SmtpResponse((SmtpReplyCode)reply.Code, $"{reply.EnhancedCode} {reply.Text}");
    }
}
