namespace RelaySigner.Core.Signing;

/// <summary>What DNS says about one selector's public key, compared with the private key the relay holds.</summary>
public enum PublishedKeyVerdict
{
    /// <summary>Published, and the public half of the relay's private key: signatures will verify.</summary>
    Matches,

    /// <summary>No key record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    Missing,

    /// <summary>A record with another key, a revoked key (empty p=) or one that does not parse.</summary>
    Different,

    /// <summary>DNS did not answer (timeout, SERVFAIL): nothing is known.</summary>
    LookupFailed,
}
