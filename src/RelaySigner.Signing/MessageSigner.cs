using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Signing;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Signing;

/// <summary>
/// The signing stage. Parses the received bytes only to compute the signature(s); the output is the received
/// bytes untouched with the DKIM-Signature header(s) prepended, so the body a receiver hashes is exactly the one
/// the client sent (MimeKit's parse → write round trip is byte-identical for CRLF input, which is why the
/// signature computed on the parsed message holds for the original bytes).
/// </summary>
public sealed class MessageSigner(AlignedKeyResolver resolver, ILogger<MessageSigner> logger) : IMessageSigner
{
    /// <summary>
    /// Signed header fields. From is listed twice (oversigned) so a From added in transit breaks the signature;
    /// names absent from a message still go into h= and so block their later addition.
    /// </summary>
    private static readonly string[] SignedHeaders =
        ["From", "From", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc", "MIME-Version", "Content-Type"];

    // DkimSigner folds its header with the platform newline on Linux; the wire needs CRLF.
    private static readonly FormatOptions WireFormat = CreateWireFormat();

    public SigningResult Sign(ReadOnlyMemory<byte> message, SenderIdentity sender)
    {
        var content = MemoryMarshal.TryGetArray(message, out var segment)
            ? segment
            : new ArraySegment<byte>(message.ToArray());
        MimeMessage parsed;
        using (var stream = new MemoryStream(content.Array!, content.Offset, content.Count, writable: false))
        {
            parsed = MimeMessage.Load(stream);
        }

        var (fromDomain, refusal) = AuthorDomain.Find(parsed);
        if (refusal is not null)
        {
            return Refuse(refusal, sender);
        }

        if (!sender.MayUse(fromDomain!))
        {
            return Refuse(new SmtpReply(550, "5.7.1", $"this client may not send as {fromDomain}"), sender);
        }

        if (resolver.Resolve(fromDomain!) is not { } aligned)
        {
            return Refuse(new SmtpReply(550, "5.7.1", $"no DKIM key for {fromDomain} or a parent domain; refusing to send unaligned mail"), sender);
        }

        foreach (var key in aligned.Keys)
        {
            key.Signer.Sign(WireFormat, parsed, SignedHeaders);
        }

        var signatureHeaders = SerializeNewSignatures(parsed, aligned.Keys.Count);
        var signed = new byte[signatureHeaders.Length + message.Length];
        signatureHeaders.CopyTo(signed, 0);
        message.Span.CopyTo(signed.AsSpan(signatureHeaders.Length));
        return SigningResult.Signed(signed, aligned.Domain);
    }

    private static byte[] SerializeNewSignatures(MimeMessage signedMessage, int count)
    {
        var builder = new StringBuilder();
        // Each Sign call inserted its header at index 0; keep them in that order (last signature on top).
        for (var i = 0; i < count; i++)
        {
            var header = signedMessage.Headers[i];
            var value = Encoding.ASCII.GetString(header.RawValue).ReplaceLineEndings("\r\n");
            builder.Append(header.Field).Append(':').Append(value);
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private SigningResult Refuse(SmtpReply reply, SenderIdentity sender)
    {
        SigningLog.Refused(logger, sender.ClientAddress?.ToString(), reply.ToString());
        return SigningResult.Refused(reply);
    }

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        return format;
    }
}
