namespace RelaySigner.Core.Signing;

/// <summary>
/// A DKIM public key as its key record publishes it (RFC 6376 §3.6.1): the key type (<c>k=</c>: <c>rsa</c> or
/// <c>ed25519</c>) and the bytes of <c>p=</c> (RSA: a SubjectPublicKeyInfo; Ed25519: the raw 32-byte key, RFC 8463 §4).
/// </summary>
public sealed record DkimPublicKey(string KeyType, byte[] Data);
