namespace RelaySigner.Signing;

/// <summary>Options of the signing stage, bound from <c>Relay:Dkim</c>.</summary>
public sealed class DkimOptions
{
    public const string SectionName = "Relay:Dkim";

    /// <summary>
    /// Folder of private keys laid out as <c>&lt;domain&gt;/&lt;selector&gt;.pem</c>, relative to the content root.
    /// Default <c>keys.example</c> (public demo keys: never sign real mail with them). Files are re-read when they change.
    /// </summary>
    public string KeysPath { get; set; } = "keys.example";

    /// <summary>
    /// Per signing domain settings, <c>Relay:Dkim:Domains:&lt;domain&gt;:…</c> (domain names match case-insensitively).
    /// A domain without an entry signs with every key in its folder, relaxed/relaxed, default headers, no x=.
    /// </summary>
    /// <summary>
    /// Check in DNS, before signing with a selector, that its published key is the public half of the private key;
    /// a selector whose record is missing or different is skipped. Default false.
    /// </summary>
    public bool VerifyDns { get; set; }

    /// <summary>How often the published keys are checked again when <see cref="VerifyDns"/> is on. Default 15 minutes.</summary>
    public TimeSpan VerifyDnsInterval { get; set; } = TimeSpan.FromMinutes(15);

    public Dictionary<string, DkimDomainOptions> Domains { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
