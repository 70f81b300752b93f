using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;
using RelaySigner.Intake.Checks;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake.Inbound;

/// <summary>
/// End of DATA on the inbound listener: the intake's message checks (bare CR/LF, NUL, line and header limits), then
/// each handler that owns some of the recipients gets the message, one after the other. Promise: 250 only once every
/// handler returned (each returns once its effects are durable); a handler that throws makes it 451 4.3.0, so the
/// sender tries again (handlers that already ran see it again: they are idempotent, a suppression already listed
/// stays as it was). The message is never queued for delivery. Nothing escapes as an exception (SmtpServer would
/// answer 554).
/// </summary>
public sealed class InboundMessageStore(
    IEnumerable<IInboundRecipientHandler> handlers, IOptions<SmtpOptions> options, ILogger<InboundMessageStore> logger) : IMessageStore
{
    private static readonly SmtpResponse HandlerFailed =
        new(SmtpReplyCode.Aborted, "4.3.0 temporary failure processing the message, try again later");

    private readonly IInboundRecipientHandler[] _handlers = [.. handlers];
    private readonly int _maxHeaderSize = options.Value.MaxHeaderSize;

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        var sender = transaction.From.AsAddress();
        var recipients = InboundMailboxFilter.Accepted(context).ToList();
        try
        {
            var content = MessageChecks.WithFinalLineEnding(buffer);
            if (MessageChecks.Check(content.Span, _maxHeaderSize) is { } problem)
            {
                InboundLog.Refused(logger, client?.ToString(), sender, content.Length, problem.ToString());
                return new SmtpResponse((SmtpReplyCode)problem.Code, $"{problem.EnhancedCode} {problem.Text}");
            }

            var message = new InboundMessage(sender, client, content);
            foreach (var handler in _handlers)
            {
                var owned = recipients.Where(handler.Owns).ToList();
                if (owned.Count > 0)
                {
                    // Not the session's token: a handler half done is better finished than left for the retry.
                    await handler.HandleAsync(message, owned, CancellationToken.None).ConfigureAwait(false);
                }
            }

            InboundLog.Accepted(logger, client?.ToString(), sender, recipients.Count, content.Length);
            return new SmtpResponse(SmtpReplyCode.Ok, "2.0.0 Ok");
        }
        catch (Exception ex)
        {
            InboundLog.HandlerFailed(logger, ex, client?.ToString(), sender);
            return HandlerFailed;
        }
    }
}
