using System.Buffers;
using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Signing;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

/// <summary>
/// End of DATA: check line endings → sign → queue durably → reply. Promise: "250" only once the queue has committed
/// and fsync'd the signed message; a refusal is a 5xx with its reason; any failure is a temporary 451 4.3.0.
/// Nothing may escape as an exception, because SmtpServer turns one into a permanent 554 (or no reply at all).
/// </summary>
public sealed class RelayMessageStore(
    IMessageSigner signer,
    IMessageQueue queue,
    DeliveryWakeup wakeup,
    ILogger<RelayMessageStore> logger) : IMessageStore
{
    private static readonly SmtpReply BareLineEnding =
        new(550, "5.6.0", "message contains a bare CR or LF; lines must end with CRLF (RFC 5321 section 2.3.8)");

    private static readonly SmtpResponse StorageFailed =
        new(SmtpReplyCode.Aborted, "4.3.0 temporary failure queueing the message, try again later");

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        var envelope = new Envelope(transaction.From.AsAddress(), [.. transaction.To.Select(to => to.AsAddress())]);
        try
        {
            var content = WithFinalLineEnding(buffer);
            if (LineEndings.HasBareCrOrLf(content))
            {
                return Refuse(BareLineEnding, client, envelope);
            }

            var signed = signer.Sign(content, new SenderIdentity(client, context.Authentication.User));
            if (signed.Refusal is { } refusal)
            {
                return Refuse(refusal, client, envelope);
            }

            // Not the session's token: once signed, finishing the commit is cheaper than leaving the client unsure.
            var id = await queue.EnqueueAsync(envelope, signed.SignedMessage, CancellationToken.None).ConfigureAwait(false);
            wakeup.Notify();
            IntakeLog.Accepted(logger, id.Value, envelope.Sender, envelope.Recipients.Count, content.Length, client?.ToString(), signed.SigningDomain);
            return new SmtpResponse(SmtpReplyCode.Ok, $"2.0.0 Ok: queued as {id}");
        }
        catch (Exception ex)
        {
            IntakeLog.QueueFailed(logger, ex, client?.ToString(), envelope.Sender);
            return StorageFailed;
        }
    }

    /// <summary>SmtpServer hands over the data without the CRLF that ends its last line; put it back.</summary>
    private static byte[] WithFinalLineEnding(ReadOnlySequence<byte> buffer)
    {
        var content = new byte[buffer.Length + 2];
        buffer.CopyTo(content);
        content[^2] = (byte)'\r';
        content[^1] = (byte)'\n';
        return content;
    }

    private SmtpResponse Refuse(SmtpReply reply, System.Net.IPAddress? client, Envelope envelope)
    {
        IntakeLog.Refused(logger, client?.ToString(), envelope.Sender, reply.ToString());
        return new SmtpResponse((SmtpReplyCode)reply.Code, $"{reply.EnhancedCode} {reply.Text}");
    }
}
