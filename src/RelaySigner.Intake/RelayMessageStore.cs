using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
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
    IOptions<SmtpOptions> options,
    TimeProvider time,
    RelayMetrics metrics,
    ILogger<RelayMessageStore> logger) : IMessageStore
{
    private static readonly SmtpReply BareLineEnding =
        new(550, "5.6.0", "message contains a bare CR or LF; lines must end with CRLF (RFC 5321 section 2.3.8)");

    private static readonly SmtpReply NulCharacter =
        new(550, "5.6.0", "message contains a NUL character (RFC 5321 section 4.1.1.4; some servers end DATA at it)");

    private static readonly SmtpReply OverlongLine =
        new(550, "5.6.0", $"message has a line longer than {SmtpOptions.MaxLineLength} octets (RFC 5322 section 2.1.1)");

    private static readonly SmtpReply MailLoop =
        new(554, "5.4.6", $"more than {SmtpOptions.MaxReceivedHeaders} Received headers; mail loop suspected");

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
        var envelope = new Envelope(transaction.From.AsAddress(), [.. transaction.To.Select(to => to.AsAddress()).Distinct(EnvelopeRecipientComparer.Instance)]);
        try
        {
            var content = WithFinalLineEnding(buffer);
            if (Check(content.Span) is { } problem)
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

            var received = _options.AddReceivedHeader ? Received(context, client, user is not null) : [];
            // The Message-ID MimeKit parsed for signing anyway: the history is searchable by it at no extra parse.
            envelope = envelope with { MessageId = Envelope.NormalizeMessageId(signed.MessageId) };
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

            return new SmtpResponse(SmtpReplyCode.Ok, signed.Copies is { Count: > 1 } split
                ? $"2.0.0 Ok: queued as {id} and {split.Count - 1} more, one per recipient"
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
        var ids = await Task.WhenAll(copies.Select(copy => queue.EnqueueAsync(
            envelope with { Recipients = [copy.Recipient] },
            [copy.SignatureHeaders, received, copy.AddedHeaders, signed.Message],
            CancellationToken.None))).ConfigureAwait(false);
        foreach (var id in ids)
        {
            IntakeLog.Accepted(logger, id.Value, envelope.Sender, 1, signed.Message.Length, client, user ?? string.Empty, signed.SigningDomain!);
        }

        return ids[0];
    }

    private SmtpReply? Check(ReadOnlySpan<byte> content)
    {
        if (LineEndings.HasBareCrOrLf(content))
        {
            return BareLineEnding;
        }

        if (content.Contains((byte)0))
        {
            return NulCharacter;
        }

        if (LineLengths.HasOverlongLine(content))
        {
            return OverlongLine;
        }

        if (HeaderBlock.Length(content) > _options.MaxHeaderSize)
        {
            return new SmtpReply(552, "5.3.4", $"header block larger than {_options.MaxHeaderSize} octets");
        }

        var malformedLine = HeaderFieldSyntax.FirstMalformedLine(content);
        if (malformedLine > 0)
        {
            return new SmtpReply(550, "5.6.0",
                $"header line {malformedLine} is malformed: a field name is printable ASCII without white space, directly followed by ':' (RFC 5322 section 2.2)");
        }

        return HeaderBlock.CountReceived(content) > SmtpOptions.MaxReceivedHeaders ? MailLoop : null;
    }

    private byte[] Received(ISessionContext context, IPAddress? client, bool authenticated)
    {
        var session = SessionGuard.Of(context);
        return ReceivedHeader.Build(session?.HeloName, client, _serverName, session?.UsedEhlo ?? true, context.Pipe.IsSecure, authenticated, time.GetUtcNow());
    }

    /// <summary>
    /// The data with the CRLF that ends its last line, which SmtpServer leaves out of the buffer it hands over. When
    /// the buffer is one piece of an array that goes on with that CRLF (the start of the end-of-data marker, as
    /// <see cref="Listening.SessionPipeReader"/> holds it when no line was dot-stuffed), that array is used as it
    /// is, valid for the whole call; otherwise the data is copied into a new array.
    /// </summary>
    private static ReadOnlyMemory<byte> WithFinalLineEnding(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment && MemoryMarshal.TryGetArray(buffer.First, out var data) &&
            data.Offset + data.Count + 2 <= data.Array!.Length &&
            data.Array.AsSpan(data.Offset + data.Count, 2).SequenceEqual("\r\n"u8))
        {
            return data.Array.AsMemory(data.Offset, data.Count + 2);
        }

        var content = GC.AllocateUninitializedArray<byte>((int)buffer.Length + 2);
        buffer.CopyTo(content);
        content[^2] = (byte)'\r';
        content[^1] = (byte)'\n';
        return content;
    }

    private SmtpResponse Refuse(SmtpReply reply, IPAddress? client, string? user, Envelope envelope, int size)
    {
        IntakeLog.Refused(logger, client?.ToString(), user ?? string.Empty, envelope.Sender, size, reply.ToString());
        metrics.MessageRefused(reply);
        return new SmtpResponse((SmtpReplyCode)reply.Code, $"{reply.EnhancedCode} {reply.Text}");
    }
}
