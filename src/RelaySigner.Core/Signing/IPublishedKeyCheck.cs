namespace RelaySigner.Core.Signing;

/// <summary>
/// Looks up what DNS publishes for a selector and compares it with the relay's public key: the seam between the
/// signing stage's guard and whatever answers it (the executable wires in the DMARC toolkit's selector check).
/// </summary>
public interface IPublishedKeyCheck
{
    Task<PublishedKeyVerdict> CheckAsync(string domain, string selector, DkimPublicKey publicKey, CancellationToken cancellationToken);
}
