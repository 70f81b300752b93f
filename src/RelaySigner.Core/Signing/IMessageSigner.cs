namespace RelaySigner.Core.Signing;

/// <summary>
/// Signs a message as received after DATA. Contract: either the returned bytes are the received bytes with
/// DKIM-Signature header(s) prepended and nothing else changed, or the message is refused with a reply that
/// says why. Never a signature whose d= is not aligned with the From domain.
/// </summary>
public interface IMessageSigner
{
    SigningResult Sign(ReadOnlyMemory<byte> message, SenderIdentity sender);
}
