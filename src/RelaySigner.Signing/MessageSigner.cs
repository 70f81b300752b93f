using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Bulk;
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
/// <para>
/// Bulk mail (its client, user or From domain marked <c>Bulk</c>) that has no List-Unsubscribe gets one per recipient
/// (RFC 8058): each recipient's copy is the two fields the relay adds above the received bytes, and its own
/// signature over them (List-Unsubscribe and List-Unsubscribe-Post are always in h=, <see cref="SignedHeaders"/>).
/// Splitting here, where the message is parsed and signed anyway, keeps intake and the queue unaware of bulk mail:
/// intake queues each copy as a message. It costs a copy of the message and a signature per recipient, for bulk
/// mail only; one message for many recipients with one link could not say who unsubscribed.
/// </para>
public sealed class MessageSigner(
    AlignedKeyResolver resolver,
    ILogger<MessageSigner> logger,
    PublishedKeyGuard? guard = null,
    RelayMetrics? metrics = null,
    IUnsubscribeLinks? unsubscribe = null,
    IBulkMailGate? bulkGate = null) : IMessageSigner
{
    private static readonly ParserOptions SigningParser = new() { MaxMimeDepth = 0 };

    private static readonly SmtpReply Unparseable = new(550, "5.6.0", "message header could not be parsed");

    private static readonly SmtpReply NoOwnUnsubscribe = new(550, "5.7.1",
        "bulk mail must carry its own one-click unsubscribe here: List-Unsubscribe with an https URI and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058)");

    private static readonly SmtpReply UnusableUnsubscribe = new(550, "5.7.1",
        "bulk mail's unsubscribe is not one-click: it needs exactly one List-Unsubscribe with an https URI and one List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058 section 3.1)");

    private static readonly SmtpReply NoUnsubscribeLink = new(451, "4.3.5",
        "bulk mail needs an unsubscribe link, and Relay:Unsubscribe:BaseUrl is not configured; try again later");

    public SigningResult Sign(ReadOnlyMemory<byte> message, SenderIdentity sender, IReadOnlyList<string>? recipients = null)
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

        // Ordinary mail pays for this only where some domain is marked bulk: a few dictionary lookups, no allocation of note.
        var settings = sender.Bulk || resolver.HasBulkDomains ? resolver.SettingsFor(fromDomain!, organizational) : null;
        if (sender.Bulk || settings?.Bulk == true)
        {
            var organisational = organizational!;
            if (bulkGate?.Admits(organisational) == false)
            {
                return Refuse(new SmtpReply(451, "4.7.1",
                    $"bulk mail of {organisational} is paused: its complaint rate is above Relay:Bulk:PauseAboveComplaintRate until an operator resumes it (relaysigner bulk resume); try again later"),
                    sender);
            }

            if (SignBulk(message, parsed, organisational, aligned!, keys, settings, sender, recipients) is { } bulk)
            {
                return bulk with { FromDomain = fromDomain, FromOrganizationalDomain = organizational };
            }
        }

        return SigningResult.Signed(SignAll(RawMessage.Split(message), aligned!, keys), message, aligned!.Domain, parsed.MessageId)
            with { FromDomain = fromDomain, FromOrganizationalDomain = organizational };
    }

    /// <returns>The refusal or the per-recipient copies; null when the message goes out as it is (its own unsubscribe).</returns>
    private SigningResult? SignBulk(ReadOnlyMemory<byte> message, MimeMessage parsed, string organisational, SigningDomain aligned,
        IReadOnlyList<DkimKey> keys, DkimDomainOptions? settings, SenderIdentity sender, IReadOnlyList<string>? recipients)
    {
        var state = UnsubscribeFields.StateOf(parsed);
        if (unsubscribe?.RequireOwn == true && state != UnsubscribeState.Usable)
        {
            return Refuse(state == UnsubscribeState.None ? NoOwnUnsubscribe : UnusableUnsubscribe, sender);
        }

        if (state != UnsubscribeState.None)
        {
            return null; // the application's own fields are kept, and signed like every List-Unsubscribe
        }

        if (recipients is not { Count: > 0 })
        {
            return Refuse(NoUnsubscribeLink, sender);
        }

        var copies = new RecipientCopy[recipients.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            if (unsubscribe?.ListUnsubscribe(recipients[i], organisational, settings?.ReturnPathDomain) is not { } link)
            {
                return Refuse(NoUnsubscribeLink, sender);
            }

            var added = UnsubscribeFields.Build(link);
            copies[i] = new RecipientCopy(recipients[i], SignAll(RawMessage.Split((byte[])[.. added, .. message.Span]), aligned, keys), added);
        }

        return SigningResult.SignedPerRecipient(copies, message, aligned.Domain, parsed.MessageId);
    }

    /// <returns>One DKIM-Signature field per key, the last one made on top, as a signer adding one field at a time would leave them.</returns>
    private byte[] SignAll(RawMessage raw, SigningDomain aligned, IReadOnlyList<DkimKey> keys)
    {
        var headers = SignedHeaders.For(raw.FieldCounts(), aligned.ExtraHeaders);
        var signatures = new List<byte[]>(keys.Count);
        foreach (var key in keys)
        {
            signatures.Add(key.Signer.Sign(raw, headers));
            metrics?.MessageSigned(key.Domain, key.Signer.AlgorithmTag);
        }

        signatures.Reverse();
        return signatures.SelectMany(s => s).ToArray();
    }

    private SigningResult Refuse(SmtpReply reply, SenderIdentity sender)
    {
        SigningLog.Refused(logger, sender.ClientAddress?.ToString(), reply.ToString());
        return SigningResult.Refused(reply);
    }
}
