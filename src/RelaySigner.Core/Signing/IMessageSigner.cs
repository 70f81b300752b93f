namespace RelaySigner.Core.Signing;

/// <summary>
/// Signs a message as received after DATA. Contract: either the returned bytes are the received bytes with
/// DKIM-Signature header(s) prepended and nothing else changed, or the message is refused with a reply that
/// says why. Never a signature whose d= is not aligned with the From domain. The one exception to "nothing else
/// changed": bulk mail without a List-Unsubscribe gets one per recipient (RFC 8058), in the copies of
/// <see cref="SigningResult.Copies"/>, each with its own signature over it.
/// </summary>
public interface IMessageSigner
{
    /// <param name="recipients">The envelope recipients: bulk mail gets an unsubscribe link for each. Without them,
    /// bulk mail that would need one is refused (451 4.3.5).</param>
    SigningResult Sign(ReadOnlyMemory<byte> message, SenderIdentity sender, IReadOnlyList<string>? recipients = null);
}
