using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Guard;
using RelaySigner.Signing.Dkim;
using RelaySigner.Signing.Headers;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing;

/// <summary>
/// The signing stage. Parses the header only to find the author domain; the signatures are computed over the
/// received bytes themselves (<see cref="RawMessage"/>), and the output is the DKIM-Signature field(s) to put on top
/// of those bytes, which are handed back untouched and not copied, so what a receiver hashes is exactly what the
/// client sent. A trace header the relay puts on top (Received) is never signed: it is not in h=. Bare CR/LF never
/// reach this stage: intake refuses them.
/// </summary>
public sealed class MessageSigner(AlignedKeyResolver resolver, ILogger<MessageSigner> logger, PublishedKeyGuard? guard = null, RelayMetrics? metrics = null) : IMessageSigner
{
    private static readonly ParserOptions SigningParser = new() { MaxMimeDepth = 0 };

    private static readonly SmtpReply Unparseable = new(550, "5.6.0", "message header could not be parsed");

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

        // Computed once: alignment needs it, and the queue keeps it for the suppression list and feedback counts.
        var organizational = resolver.OrganizationalDomain(fromDomain!);
        var aligned = resolver.Resolve(fromDomain!, organizational);
        var keys = aligned is null ? [] : guard is null ? aligned.Keys : [.. aligned.Keys.Where(guard.MaySignWith)];
        if (keys.Count == 0)
        {
            if (resolver.MayRelayUnsigned(fromDomain!, organizational))
            {
                SigningLog.RelayedUnsigned(logger, sender.ClientAddress?.ToString(), fromDomain!);
                return SigningResult.Unsigned(message, parsed.MessageId) with { FromDomain = fromDomain, FromOrganizationalDomain = organizational };
            }

            // Keys exist but DNS publishes none of them: temporary, so the mail waits at the client until DNS is fixed.
            return Refuse(
                aligned is null
                    ? new SmtpReply(550, "5.7.1", $"no DKIM key for {fromDomain} or a parent domain; refusing to send unaligned mail")
                    : new SmtpReply(451, "4.7.5", $"no DKIM key of {aligned.Domain} is published in DNS as configured; try again later"),
                sender);
        }

        var raw = RawMessage.Split(message);
        var headers = SignedHeaders.For(raw.FieldCounts(), aligned!.ExtraHeaders);
        var signatures = new List<byte[]>(keys.Count);
        foreach (var key in keys)
        {
            signatures.Add(key.Signer.Sign(raw, headers));
            metrics?.MessageSigned(key.Domain, key.Signer.AlgorithmTag);
        }

        // The last signature made goes on top, as a signer adding one field at a time would leave them.
        signatures.Reverse();
        return SigningResult.Signed(signatures.SelectMany(s => s).ToArray(), message, aligned.Domain, parsed.MessageId)
            with { FromDomain = fromDomain, FromOrganizationalDomain = organizational };
    }

    private SigningResult Refuse(SmtpReply reply, SenderIdentity sender)
    {
        SigningLog.Refused(logger, sender.ClientAddress?.ToString(), reply.ToString());
        return SigningResult.Refused(reply);
    }
}
