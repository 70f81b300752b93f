using Org.BouncyCastle.Crypto;
using RelaySigner.Core.Signing;

namespace RelaySigner.Signing.Guard;

/// <summary>Looks up what DNS publishes for a selector and compares it with the relay's public key.</summary>
public interface IPublishedKeyCheck
{
    Task<PublishedKeyVerdict> CheckAsync(string domain, string selector, AsymmetricKeyParameter publicKey, CancellationToken cancellationToken);
}
