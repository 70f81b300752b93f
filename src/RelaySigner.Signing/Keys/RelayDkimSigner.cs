using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// MimeKit's DKIM signer with RSA routed through the platform (<see cref="PlatformRsaSigningContext"/>; Ed25519 stays
/// on BouncyCastle, which is already fast) and t= taken from a <see cref="TimeProvider"/>, so tests can fix it.
/// </summary>
public sealed class RelayDkimSigner : DkimSigner
{
    private readonly RSA? _platformRsa;
    private readonly TimeProvider _time;

    /// <param name="platformRsa">The same RSA key as <paramref name="key"/>, loaded into the platform; null for Ed25519.</param>
    public RelayDkimSigner(AsymmetricKeyParameter key, RSA? platformRsa, string domain, string selector, DkimSignatureAlgorithm algorithm, TimeProvider time)
        : base(key, domain, selector, algorithm)
    {
        _platformRsa = platformRsa;
        _time = time;
    }

    protected override ISigner CreateSigningContext() =>
        _platformRsa is not null && SignatureAlgorithm == DkimSignatureAlgorithm.RsaSha256
            ? new PlatformRsaSigningContext(_platformRsa)
            : base.CreateSigningContext();

    protected override long GetTimestamp() => _time.GetUtcNow().ToUnixTimeSeconds();
}
