using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Guard;
using RelaySigner.Signing.Headers;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing;

/// <summary>
/// The signing stage. Parses the received bytes only to compute the signature(s); the output is the DKIM-Signature
/// header(s) to prepend to the received bytes, which are handed back untouched and not copied, so the body a
/// receiver hashes is exactly the one the client sent (MimeKit's parse → write round trip is byte-identical for CRLF input, which is why the
/// signature computed on the parsed message holds for the original bytes). A trace header the relay puts on top
/// (Received) is never signed: it is not in h=. Bare CR/LF never reach this stage: intake refuses them.
/// </summary>
public sealed class MessageSigner(AlignedKeyResolver resolver, ILogger<MessageSigner> logger, PublishedKeyGuard? guard = null, RelayMetrics? metrics = null) : IMessageSigner
{
    private static readonly ParserOptions SigningParser = new() { MaxMimeDepth = 0 };

    private static readonly SmtpReply Unparseable = new(550, "5.6.0", "message header could not be parsed");

    // DkimSigner folds its header with the platform newline on Linux; the wire needs CRLF.
    private static readonly FormatOptions WireFormat = CreateWireFormat();

    public SigningResult Sign(ReadOnlyMemory<byte> message, SenderIdentity sender)
    {
        var content = MemoryMarshal.TryGetArray(message, out var segment)
            ? segment
            : new ArraySegment<byte>(message.ToArray());
        // Parse only what signing needs: persistent keeps the body pointing into the received bytes instead of
        // copying it, and a MIME depth of 0 keeps a multipart body one opaque part whose children are never parsed.
        using var stream = new MemoryStream(content.Array!, content.Offset, content.Count, writable: false);
        MimeMessage parsed;
        try
        {
            parsed = MimeMessage.Load(SigningParser, stream, persistent: true);
        }
        catch (FormatException)
        {
            return Refuse(Unparseable, sender);
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

        var aligned = resolver.Resolve(fromDomain!);
        var keys = aligned is null ? [] : guard is null ? aligned.Keys : [.. aligned.Keys.Where(guard.MaySignWith)];
        if (keys.Count == 0)
        {
            if (resolver.MayRelayUnsigned(fromDomain!))
            {
                SigningLog.RelayedUnsigned(logger, sender.ClientAddress?.ToString(), fromDomain!);
                return SigningResult.Unsigned(message);
            }

            // Keys exist but DNS publishes none of them: temporary, so the mail waits at the client until DNS is fixed.
            return Refuse(
                aligned is null
                    ? new SmtpReply(550, "5.7.1", $"no DKIM key for {fromDomain} or a parent domain; refusing to send unaligned mail")
                    : new SmtpReply(451, "4.7.5", $"no DKIM key of {aligned.Domain} is published in DNS as configured; try again later"),
                sender);
        }

        var headers = SignedHeaders.For(HeaderFieldNames.Count(message.Span), aligned!.ExtraHeaders);
        foreach (var key in keys)
        {
            key.Signer.Sign(WireFormat, parsed, headers);
            metrics?.MessageSigned(key.Domain, AlgorithmName(key));
        }

        return SigningResult.Signed(SerializeNewSignatures(parsed, keys), message, aligned.Domain);
    }

    private static byte[] SerializeNewSignatures(MimeMessage signedMessage, IReadOnlyList<DkimKey> keys)
    {
        var builder = new StringBuilder();
        // Each Sign call inserted its header at index 0; keep them in that order (last signature on top).
        for (var i = 0; i < keys.Count; i++)
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

    /// <summary>The a= tag value (RFC 6376, RFC 8463), as postmasters know it.</summary>
    private static string AlgorithmName(DkimKey key) =>
        key.Algorithm == MimeKit.Cryptography.DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519-sha256" : "rsa-sha256";

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        return format;
    }
}
